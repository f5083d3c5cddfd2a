import t from 'tap';
import { organizations, people } from '../src/db/schema/index.js';
import { strategyRules } from '../src/modules/career-strategies/career-strategies.rules.js';
import { CareerStrategyInput } from '../src/modules/career-strategies/career-strategies.schemas.js';
import { interviewRules, prepareInterview } from '../src/modules/interviews/interview-rules.js';
import { InterviewInput, type Interview } from '../src/modules/interviews/interviews.schemas.js';
import { relationshipRules } from '../src/modules/relationships/relationships.rules.js';
import { RelationshipInput, type Relationship } from '../src/modules/relationships/relationships.schemas.js';
import type { Existing } from '../src/modules/shared/references.js';
import { problemsError } from '../src/modules/shared/rules.js';

// The rules are pure functions of a row, what it replaces and facts loaded for its batch: they
// are tested here without a database.

const ANA = '3f6c1e2a-8b4d-4c7e-9f10-2a5b6c7d8e91';
const BEN = '9b2e4d6f-1a3c-4e5b-8d7f-6c0a2b4e6f13';
const DANA = '4b7d9f1a-3c5e-4a8b-9d2f-5c7e9a1b3d48';
const NOBODY = '00000000-0000-4000-8000-000000000000';
const ACME = '1c4f7a2b-6d8e-4b3a-9c5d-7e2f0a1b3c46';
const IV = '6a9d2c4e-7b1f-4d3a-b5c8-2e4f6a8b0c17';

const existing = (peopleIds: string[], orgIds: string[] = []): Existing =>
  new Map<never, Set<string>>([
    [people as never, new Set(peopleIds)],
    [organizations as never, new Set(orgIds)],
  ]);
const paths = (problems: { path: string }[]) => problems.map((p) => p.path);

t.test('problemsError: the gravest kind leads, every problem is listed', async (t) => {
  const invalid = problemsError([{ path: 'a', message: 'bad' }]);
  t.match(invalid, { code: 'validation_failed', status: 400, errors: [{ path: 'a', message: 'bad' }] });
  const conflict = problemsError([{ path: 'a', message: 'bad' }, { path: 'b', message: 'taken', kind: 'conflict', detail: 'Taken.' }]);
  t.match(conflict, { code: 'conflict', message: 'Taken.', errors: [{ path: 'a' }, { path: 'b' }] });
  const transition = problemsError([{ path: 'b', message: 'taken', kind: 'conflict' }, { path: 'status', message: 'no', kind: 'transition', allowed: ['planned'], detail: 'Cannot.' }]);
  t.match(transition, { code: 'invalid_transition', message: 'Cannot.', extra: { allowed: ['planned'] } });
  t.same(transition.errors, [{ path: 'b', message: 'taken' }, { path: 'status', message: 'no' }], 'field errors only: no kind, detail or allowed');
});

t.test('interview rules', async (t) => {
  const input = (over: Record<string, unknown>) => InterviewInput.parse({ requesterId: ANA, intervieweeId: BEN, ...over });
  const facts = (over: Partial<{ doNotContact: Set<string>; citations: Map<string, number>; opportunityCitations: Map<string, number>; existing: Existing }> = {}) => ({
    doNotContact: new Set<string>(),
    citations: new Map<string, number>(),
    opportunityCitations: new Map<string, number>(),
    existing: existing([ANA, BEN, DANA], [ACME]),
    ...over,
  });
  const stored = (over: Partial<Interview>) => ({ ...input({}), id: IV, version: 3, createdAt: '', updatedAt: '', referrals: [], ...over }) as Interview;

  t.same(interviewRules(input({}), null, facts()), [], 'a plain plan');
  const everything = interviewRules(input({ status: 'scheduled', intervieweeId: ANA, organizationId: NOBODY }), stored({ status: 'completed' }), facts());
  t.same(paths(everything), ['status', 'intervieweeId', 'scheduledAt', 'organizationId'], 'a transition no longer hides the field errors');
  t.equal(everything[0]!.kind, 'transition');
  t.same(everything[0]!.allowed, []);
  t.match(problemsError(everything), { code: 'invalid_transition' });

  const frozen = interviewRules(input({ status: 'completed', occurredAt: '2026-01-01T00:00:00Z', location: 'Elsewhere' }), stored({ status: 'completed', occurredAt: '2026-01-01T00:00:00.000Z' }), facts());
  t.same(paths(frozen), ['location']);
  t.equal(frozen[0]!.kind, 'conflict');

  t.same(paths(interviewRules(input({}), null, facts({ doNotContact: new Set([BEN]) }))), ['intervieweeId'], 'a new plan with someone who opted out');
  t.same(interviewRules(input({ status: 'cancelled' }), stored({ status: 'planned' }), facts({ doNotContact: new Set([BEN]) })), [], 'but cancelling is fine');

  const cited = facts({ citations: new Map([[IV, 2]]) });
  t.same(paths(interviewRules(input({ requesterId: DANA }), stored({}), cited)), ['requesterId'], 'a cited interview keeps its requester');
  t.same(paths(interviewRules(input({ requesterId: NOBODY }), stored({}), cited)), ['requesterId'], 'a missing requester is told, not the conflict with it');
  t.equal(interviewRules(input({ requesterId: NOBODY }), stored({}), cited)[0]!.message, 'no person with this id');
  const sourced = facts({ opportunityCitations: new Map([[IV, 1]]) });
  t.same(paths(interviewRules(input({ requesterId: DANA }), stored({}), sourced)), ['requesterId'], 'an interview an opportunity came up in keeps its requester');
  t.equal(interviewRules(input({ requesterId: DANA }), stored({}), sourced)[0]!.kind, 'conflict');
  t.same(interviewRules(input({ notes: 'more' }), stored({}), sourced), [], 'the rest of it stays editable');

  const referrals = interviewRules(input({ referrals: [{ personId: ANA }, { personId: BEN }, { personId: DANA }, { personId: DANA }, { personId: NOBODY }] }), null, facts());
  t.same(paths(referrals), ['referrals.0.personId', 'referrals.1.personId', 'referrals.3.personId', 'referrals.4.personId']);

  t.equal(prepareInterview(input({ status: 'completed' }), stored({ status: 'completed', occurredAt: '2025-05-05T00:00:00.000Z' })).occurredAt, '2025-05-05T00:00:00.000Z', 'a completed interview keeps when it happened');
  t.ok(prepareInterview(input({ status: 'completed' }), null).occurredAt, 'a new completed interview happened now');
});

t.test('relationship rules', async (t) => {
  const input = (over: Record<string, unknown>) => RelationshipInput.parse({ personId: ANA, contactId: BEN, ...over });
  const facts = (pairs: [string, string][] = []) => ({ pairs: new Map(pairs), existing: existing([ANA, BEN, DANA]) });
  t.same(relationshipRules(input({}), null, facts()), []);
  t.same(paths(relationshipRules(input({ contactId: ANA, introducedById: ANA }), null, facts())), ['contactId', 'introducedById']);
  t.same(paths(relationshipRules(input({ introducedById: NOBODY }), null, facts())), ['introducedById']);
  const taken = relationshipRules(input({}), null, facts([[`${ANA}>${BEN}`, 'edge-1']]));
  t.match(taken, [{ path: 'contactId', kind: 'conflict', message: 'is already taken' }]);
  t.same(relationshipRules(input({}), { id: 'edge-1' } as Relationship, facts([[`${ANA}>${BEN}`, 'edge-1']])), [], 'its own pair is no conflict');
});

t.test('career strategy rules', async (t) => {
  const input = (over: Record<string, unknown>) => CareerStrategyInput.parse({ personId: ANA, ...over });
  const facts = { requesters: new Map([[IV, BEN]]), existing: existing([ANA], [ACME]) };
  t.same(strategyRules(input({ targetOrganizationIds: [ACME] }), null, facts), []);
  const problems = strategyRules(input({ personId: NOBODY, targetOrganizationIds: [ACME, DANA], informedByInterviewIds: [IV, NOBODY] }), null, facts);
  t.same(paths(problems), ['personId', 'targetOrganizationIds.1', 'informedByInterviewIds.0', 'informedByInterviewIds.1']);
  t.match(problems[2], { message: "is not one of this person's own interviews" });
  t.match(problemsError(problems), { code: 'validation_failed', message: 'A referenced record does not exist.' });
});
