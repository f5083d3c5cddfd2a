import t from 'tap';
import { isEnumType } from 'graphql';
import { questionCategories } from '../src/db/schema/index.js';
import { defaultQuestionBank } from '../src/modules/question-templates/default-bank.js';
import { QuestionCategoryEnum } from '../src/modules/question-templates/question-templates.resolvers.js';
import { QuestionTemplate, QuestionTemplateInput } from '../src/modules/question-templates/question-templates.schemas.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { buildTestApp, idsOf, restCaller, tenantWithKey } from './helpers/app.js';
import { graphqlCaller, holdsTo, inputsHoldTo } from './helpers/graphql.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('the default bank: at least 30 distinct questions, every category', async (t) => {
  const texts = Object.values(defaultQuestionBank).flat();
  t.ok(texts.length >= 30, `${texts.length} questions`);
  t.equal(new Set(texts).size, texts.length, 'no question twice');
  t.same(Object.keys(defaultQuestionBank).sort(), [...questionCategories].sort(), 'every category, and no other');
  for (const [category, list] of Object.entries(defaultQuestionBank)) t.ok(list.length >= 4, `${category}: ${list.length}`);
  t.ok(texts.every((q) => q.endsWith('?') && q.length <= 1000), 'each is a question that fits the field');
});

t.test('question templates over REST and GraphQL', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const call = restCaller(app, owner.auth);
  const gql = graphqlCaller<Json>(app, owner.auth);
  const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);

  t.test('a new tenant starts with the bank; without it, none', async (t) => {
    const bank = (await call('GET', '/v1/question-templates?limit=100')).json().data as Json[];
    t.equal(bank.length, Object.values(defaultQuestionBank).flat().length);
    t.same(new Set(bank.map((q) => q.category)), new Set(questionCategories));
    t.ok(bank.every((q) => q.active && q.externalId.startsWith('qb-') && q.tags.includes('default-bank')));
    const bare = await createTenant(database.db, { name: 'Bare', questionBank: false });
    const bareBank = await app.inject({ method: 'GET', url: '/v1/question-templates', headers: { authorization: `Bearer ${bare.apiKey.secret}` } });
    t.same(bareBank.json().data, []);
    const role = await call('GET', '/v1/question-templates?category=role_and_day');
    t.equal(role.json().data.length, defaultQuestionBank.role_and_day.length);
  });

  t.test('CRUD, filters and malformed input', async (t) => {
    const made = await call('POST', '/v1/question-templates', { text: '  What would you change about your first year?  ', category: 'advice', tags: ['mine'] });
    t.equal(made.statusCode, 201);
    t.match(made.json(), { text: 'What would you change about your first year?', category: 'advice', active: true, version: 1 });
    const retired = await call('PATCH', `/v1/question-templates/${made.json().id}`, { active: false });
    t.match(retired.json(), { active: false, version: 2 });
    t.same(idsOf(await call('GET', '/v1/question-templates?active=false')), [made.json().id]);
    const put = await call('PUT', '/v1/question-templates/external/mine-1', { text: 'Mine?' });
    t.equal(put.statusCode, 201);
    const bad = await call('POST', '/v1/question-templates', { text: '', category: 'gossip', active: 'yes', id: made.json().id });
    t.equal(bad.statusCode, 400);
    t.same(paths(bad).sort(), ['active', 'category', 'id', 'text']);
    const badQuery = await call('GET', '/v1/question-templates?active=maybe&category=x');
    t.same(paths(badQuery).sort(), ['query.active', 'query.category']);
    t.equal((await restCaller(app, other.auth)('GET', `/v1/question-templates/${made.json().id}`)).statusCode, 404, "another tenant's is not found");
  });

  t.test('interview questions cite templates; a cited one is deactivated, never deleted', async (t) => {
    const sam = (await call('POST', '/v1/people', { fullName: 'Sam' })).json();
    const pat = (await call('POST', '/v1/people', { fullName: 'Pat' })).json();
    const template = (await call('POST', '/v1/question-templates', { text: 'How did you start?', category: 'career_path' })).json();
    const foreign = (await restCaller(app, other.auth)('GET', '/v1/question-templates?limit=1')).json().data[0];
    const missing = await call('POST', '/v1/interviews', {
      requesterId: sam.id,
      intervieweeId: pat.id,
      questions: [{ question: 'Fine' }, { question: 'Theirs', templateId: foreign.id }, { question: 'Bad', templateId: 'nope' }],
    });
    t.equal(missing.statusCode, 400);
    t.same(paths(missing), ['questions.2.templateId'], 'the shape first');
    const theirs = await call('POST', '/v1/interviews', { requesterId: sam.id, intervieweeId: pat.id, questions: [{ question: 'Theirs', templateId: foreign.id }] });
    t.same(paths(theirs), ['questions.0.templateId'], "another tenant's template reads as missing");
    const iv = await call('POST', '/v1/interviews', { requesterId: sam.id, intervieweeId: pat.id, questions: [{ question: template.text, templateId: template.id.toUpperCase() }] });
    t.equal(iv.statusCode, 201);
    t.same(iv.json().questions, [{ question: template.text, templateId: template.id }]);
    const graph = await gql(`{ interview(id: "${iv.json().id}") { questions { question templateId template { text category active } } } }`);
    t.same(graph.data?.interview.questions, [{ question: template.text, templateId: template.id, template: { text: template.text, category: 'CAREER_PATH', active: true } }]);

    const refused = await call('DELETE', `/v1/question-templates/${template.id}`);
    t.equal(refused.statusCode, 409);
    t.same(refused.json().dependents, { interviews: 1 });
    const cascade = await call('DELETE', `/v1/question-templates/${template.id}?cascade=true`);
    t.equal(cascade.statusCode, 409, 'cascade does not delete a cited template');
    t.same(cascade.json().dependents, { interviews: 1 });
    t.equal((await call('PATCH', `/v1/question-templates/${template.id}`, { active: false })).statusCode, 200, 'it can be deactivated');
    t.equal((await call('GET', `/v1/interviews/${iv.json().id}`)).json().questions[0].templateId, template.id, 'the interview keeps citing it');
    const unused = (await call('POST', '/v1/question-templates', { text: 'Unused?' })).json();
    t.equal((await call('DELETE', `/v1/question-templates/${unused.id}`)).statusCode, 204);
  });

  t.test('GraphQL: the SDL holds to zod, mutations and filters', async (t) => {
    const schema = app.graphqlSchema;
    holdsTo(t, schema, 'QuestionTemplate', QuestionTemplate.shape);
    inputsHoldTo(t, schema, ['CreateQuestionTemplateInput', 'UpdateQuestionTemplateInput'], QuestionTemplateInput.shape);
    const type = schema.getType('QuestionCategory');
    if (!isEnumType(type)) throw new Error('no QuestionCategory');
    t.same(type.getValues().map((v) => v.name), questionCategories.map((c) => c.toUpperCase()));
    t.same(QuestionCategoryEnum.names, questionCategories.map((c) => c.toUpperCase()));
    const made = await gql(`mutation { createQuestionTemplate(input: { text: "What surprised you?", category: ROLE_AND_DAY, active: false }) { questionTemplate { id category active } } }`);
    t.match(made.data?.createQuestionTemplate.questionTemplate, { category: 'ROLE_AND_DAY', active: false });
    const inactive = await gql(`{ questionTemplates(filter: { active: false, category: ROLE_AND_DAY }) { totalCount nodes { text } } }`);
    t.same(inactive.data?.questionTemplates, { totalCount: 1, nodes: [{ text: 'What surprised you?' }] });
    const active = await gql(`{ questionTemplates(first: 1, filter: { active: true }) { totalCount } }`);
    t.ok(active.data?.questionTemplates.totalCount >= 35);
  });

  t.test('bulk import', async (t) => {
    const csv = 'externalId,text,category,tags\nimp-q1,What is next?,next_steps_and_referrals,a;b\nimp-q2,,advice,\n';
    const res = await app.inject({ method: 'POST', url: '/v1/imports/question-templates', headers: { ...owner.auth, 'content-type': 'text/csv' }, payload: csv });
    t.equal(res.statusCode, 201);
    t.match(res.json(), { entity: 'question-templates', counts: { created: 1, failed: 1 }, errors: [{ row: 2, path: 'text' }] });
    t.match((await call('GET', '/v1/question-templates?externalId=imp-q1')).json().data[0], { tags: ['a', 'b'], category: 'next_steps_and_referrals' });
  });
});
