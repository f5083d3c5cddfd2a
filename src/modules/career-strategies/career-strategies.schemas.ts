import { z } from 'zod';
import { strategyGoalStatuses, strategyStatuses } from '../../db/schema/index.js';
import { ExternalId, ListOf, ListQueryFields, OneOf, OptionalText, RecordFields, StringList, Uuid } from '../shared/common.schemas.js';
import { careerStrategyExamples, careerStrategyRevisionExamples, createCareerStrategyExamples } from './career-strategies.examples.js';

export const StrategyStatus = OneOf(strategyStatuses);
export const GoalStatus = OneOf(strategyGoalStatuses);

// Lower-cased, as PostgreSQL gives UUIDs back: an ID written in capitals is the same ID.
const Id = Uuid.transform((v) => v.toLowerCase());

/** Referenced IDs, in the caller's order; absent or null is the empty list; a repeat is an error. */
const IdList = (maxItems: number) =>
  z
    .array(Id)
    .max(maxItems, `must have at most ${maxItems} items`)
    .superRefine((ids, ctx) => {
      ids.forEach((id, i) => {
        if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice' });
      });
    })
    .nullish()
    .transform((v) => v ?? []);

export const StrategyGoalInput = z.strictObject({
  description: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
  targetDate: z.iso
    .date({ message: 'must be an ISO date, e.g. 2027-06-30' })
    .nullish()
    .transform((v) => v ?? null),
  // Left out or null: open (as GraphQL clients may send null for a field they leave empty).
  status: GoalStatus.nullish()
    .transform((v) => v ?? 'open')
    .meta({ description: 'Left out or null: open.' }),
});

const lists = {
  skills: StringList(100),
  values: StringList(100),
  talents: StringList(100),
  interests: StringList(100),
  targetRoles: StringList(100),
  targetIndustries: StringList(100),
  targetLocations: StringList(100),
  collaborators: StringList(100).meta({ description: 'With whom: the people and teams they want to work with.' }),
};

/** Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. */
export const CareerStrategyInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    personId: Id.meta({ description: 'The person whose strategy this is.' }),
    title: OptionalText(200),
    // Not `.default()`: in the `.partial()` patch schema a default would fill in an absent status.
    status: StrategyStatus.nullish()
      .transform((v) => v ?? 'draft')
      .meta({ description: 'Left out: draft. Making a strategy active archives the active one of the same person (with a revision).' }),
    ...lists,
    workStyle: OptionalText(5000).meta({ description: 'How they want to work.' }),
    goals: ListOf(StrategyGoalInput, 50),
    targetOrganizationIds: IdList(50).meta({ description: "Organizations of the same tenant, in the caller's order." }),
    informedByInterviewIds: IdList(100).meta({
      description: "The interviews whose insights shaped it: interviews requested by this strategy's person.",
    }),
  })
  .meta({
    id: 'CreateCareerStrategy',
    description: 'What a person makes of what they learned: skills, values, targets, goals.',
    examples: createCareerStrategyExamples,
  });
export type CareerStrategyInput = z.output<typeof CareerStrategyInput>;

export const CareerStrategyPatch = CareerStrategyInput.partial().meta({
  id: 'UpdateCareerStrategy',
  description: 'A merge patch: only the fields to change; null clears a field. Lists are replaced whole.',
  examples: [{ status: 'active', targetRoles: ['Robotics Engineer', 'Controls Engineer'] }],
});

export const StrategyGoal = z.object({
  description: z.string(),
  targetDate: z.iso.date().nullable(),
  status: GoalStatus,
});
export type StrategyGoal = z.output<typeof StrategyGoal>;

export const CareerStrategy = z
  .object({
    ...RecordFields,
    personId: z.uuid(),
    title: z.string().nullable(),
    status: StrategyStatus,
    skills: z.array(z.string()),
    values: z.array(z.string()),
    talents: z.array(z.string()),
    interests: z.array(z.string()),
    targetRoles: z.array(z.string()),
    targetIndustries: z.array(z.string()),
    targetLocations: z.array(z.string()),
    collaborators: z.array(z.string()),
    workStyle: z.string().nullable(),
    goals: z.array(StrategyGoal),
    targetOrganizationIds: z.array(z.uuid()),
    informedByInterviewIds: z.array(z.uuid()),
  })
  .meta({ id: 'CareerStrategy', examples: careerStrategyExamples });
export type CareerStrategy = z.output<typeof CareerStrategy>;

export const CareerStrategyListQuery = z.strictObject({
  ...ListQueryFields,
  personId: Id.optional(),
  status: StrategyStatus.optional().meta({ examples: ['active'] }),
});
export type CareerStrategyListQuery = z.output<typeof CareerStrategyListQuery>;

export const CareerStrategyRevisionQuery = z.strictObject({
  limit: ListQueryFields.limit,
  cursor: ListQueryFields.cursor,
});
export type CareerStrategyRevisionQuery = z.output<typeof CareerStrategyRevisionQuery>;

export const CareerStrategyRevision = z
  .object({
    revision: z.number().int().min(1).meta({ description: 'The version the strategy had in this state.' }),
    createdAt: z.iso.datetime().meta({ description: 'When this state was replaced by the next one.' }),
    // Loose on purpose: a snapshot keeps the shape of its day; fields added later are absent from it.
    snapshot: z.record(z.string(), z.unknown()).meta({ description: 'The strategy as the API showed it at that version (a CareerStrategy).' }),
  })
  .meta({
    id: 'CareerStrategyRevision',
    description: 'An earlier state of a career strategy.',
    examples: careerStrategyRevisionExamples,
  });
export type CareerStrategyRevision = z.output<typeof CareerStrategyRevision>;
