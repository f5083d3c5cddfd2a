// The operations a frontend would write, as named documents: `npm run client:types` generates
// their TypeScript types from schema.graphql (test/client/codegen.yml), and
// test/graphql-client.test.ts sends them with graphql-request, typed by what was generated.

export const CreateOrganization = /* GraphQL */ `
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      organization { id name size tags }
    }
  }
`;

export const CreatePerson = /* GraphQL */ `
  mutation CreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) {
      person { id fullName roles organization { id name } }
    }
  }
`;

export const CreateInterview = /* GraphQL */ `
  mutation CreateInterview($input: CreateInterviewInput!) {
    createInterview(input: $input) {
      interview { id status version }
    }
  }
`;

export const ScheduleInterview = /* GraphQL */ `
  mutation ScheduleInterview($id: UUID!, $scheduledAt: DateTime!, $expectedVersion: Int) {
    scheduleInterview(id: $id, scheduledAt: $scheduledAt, expectedVersion: $expectedVersion) {
      interview { id status scheduledAt version }
    }
  }
`;

export const CompleteInterview = /* GraphQL */ `
  mutation CompleteInterview($id: UUID!, $occurredAt: DateTime) {
    completeInterview(id: $id, occurredAt: $occurredAt) {
      interview { id status occurredAt version }
    }
  }
`;

export const RecordInsights = /* GraphQL */ `
  mutation RecordInsights($id: UUID!, $input: UpdateInterviewInput!) {
    updateInterview(id: $id, input: $input) {
      interview { id insights { text category } skillRatings { confidence communication interviewing } }
    }
  }
`;

export const CreateStrategy = /* GraphQL */ `
  mutation CreateStrategy($input: CreateCareerStrategyInput!) {
    createCareerStrategy(input: $input) {
      careerStrategy { id status }
    }
  }
`;

export const Activate = /* GraphQL */ `
  mutation Activate($id: UUID!) {
    activateCareerStrategy(id: $id) {
      careerStrategy { id status version }
    }
  }
`;

/** The whole scenario read back in one nested query: every record as REST has it, and its relations. */
export const StudentJourney = /* GraphQL */ `
  query StudentJourney($student: UUID!) {
    person(id: $student) {
      id externalId createdAt updatedAt version fullName preferredName pronouns emails phone location headline linkedinUrl
      roles program graduationYear organizationId title tags doNotContact notes
      interviews(first: 10) {
        totalCount
        nodes {
          id externalId createdAt updatedAt version requesterId intervieweeId organizationId status scheduledAt occurredAt
          durationMinutes format location goals questions { question answer } notes insights { text category }
          referrals { personId note } thankYouSentAt followUps { action dueAt doneAt }
          skillRatings { confidence communication interviewing } tags
          interviewee { fullName organization { name } }
        }
      }
      activeStrategy {
        id externalId createdAt updatedAt version personId title status skills values talents interests targetRoles
        targetIndustries targetLocations collaborators workStyle goals { description targetDate status }
        targetOrganizationIds informedByInterviewIds
        informedBy { id insights { text } }
      }
    }
  }
`;
