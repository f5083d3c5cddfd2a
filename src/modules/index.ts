import type { FastifyPluginAsync } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import type { IResolvers } from 'mercurius';
import type { Loaders } from '../graphql/loaders.js';
import type { Db } from '../db/client.js';
import apiKeysRoutes from './api-keys/api-keys.routes.js';
import { apiKeysResolvers } from './api-keys/api-keys.resolvers.js';
import { createApiKeysService, type ApiKeysService } from './api-keys/api-keys.service.js';
import careerStrategiesRoutes from './career-strategies/career-strategies.routes.js';
import { careerStrategiesLoaders, careerStrategiesResolvers } from './career-strategies/career-strategies.resolvers.js';
import { createCareerStrategiesService, type CareerStrategiesService } from './career-strategies/career-strategies.service.js';
import healthRoutes from './health/health.routes.js';
import interviewsRoutes from './interviews/interviews.routes.js';
import { interviewsLoaders, interviewsResolvers } from './interviews/interviews.resolvers.js';
import { createInterviewsService, type InterviewsService } from './interviews/interviews.service.js';
import organizationsRoutes from './organizations/organizations.routes.js';
import { organizationsLoaders, organizationsResolvers } from './organizations/organizations.resolvers.js';
import { createOrganizationsService, type OrganizationsService } from './organizations/organizations.service.js';
import peopleRoutes from './people/people.routes.js';
import { peopleLoaders, peopleResolvers } from './people/people.resolvers.js';
import { createPeopleService, type PeopleService } from './people/people.service.js';
import relationshipsRoutes from './relationships/relationships.routes.js';
import { relationshipsLoaders, relationshipsResolvers } from './relationships/relationships.resolvers.js';
import { createRelationshipsService, type RelationshipsService } from './relationships/relationships.service.js';
import opportunitiesRoutes from './opportunities/opportunities.routes.js';
import { opportunitiesLoaders, opportunitiesResolvers } from './opportunities/opportunities.resolvers.js';
import { createOpportunitiesService, type OpportunitiesService } from './opportunities/opportunities.service.js';
import questionTemplatesRoutes from './question-templates/question-templates.routes.js';
import { questionTemplatesLoaders, questionTemplatesResolvers } from './question-templates/question-templates.resolvers.js';
import { createQuestionTemplatesService, type QuestionTemplatesService } from './question-templates/question-templates.service.js';
import analyticsRoutes from './analytics/analytics.routes.js';
import { analyticsLoaders, analyticsResolvers } from './analytics/analytics.resolvers.js';
import { createAnalyticsService, type AnalyticsService } from './analytics/analytics.service.js';
import eventsRoutes from './events/events.routes.js';
import { eventsResolvers } from './events/events.resolvers.js';
import { createEventsService, type EventsService } from './events/events.service.js';
import webhooksRoutes from './webhooks/webhooks.routes.js';
import { webhooksResolvers } from './webhooks/webhooks.resolvers.js';
import { createWebhooksService, type WebhooksService } from './webhooks/webhooks.service.js';
import importsRoutes from './imports/imports.routes.js';
import { importTargets } from './imports/import-targets.js';
import { importsResolvers } from './imports/imports.resolvers.js';
import { createImportsService, type ImportsService } from './imports/imports.service.js';
import { tenantsResolvers } from './tenants/tenants.resolvers.js';
import tenantsRoutes from './tenants/tenants.routes.js';
import { createTenantsService, type TenantsService } from './tenants/tenants.service.js';

/** What a module brings; the app, the services plugin and the GraphQL schema read it from here. */
export interface ModuleDefinition {
  /** REST routes: in the `/v1` scope, behind a key and its budget, unless `public`. */
  routes?: FastifyPluginAsync<{ config: Config }>;
  public?: boolean;
  /** The service both adapters call, built once over the database (and the services of the modules before it). */
  service?: (db: Db, services: never, config: Config) => unknown;
  /**
   * Its part of the GraphQL schema: an SDL file beside it, resolvers over the services, and the
   * loaders that batch its relations per request.
   */
  graphql?: { sdl: URL; resolvers: (services: never) => IResolvers; loaders?: (services: never) => Loaders };
}

/**
 * The registry: each module once, in the order its routes are registered (which is the order
 * of openapi.yaml's paths). Adding an entity is its own folder and one line here.
 */
export const modules = {
  health: { routes: healthRoutes, public: true },
  tenants: {
    routes: tenantsRoutes,
    service: createTenantsService,
    graphql: { sdl: new URL('./tenants/tenants.graphql', import.meta.url), resolvers: (s: { tenants: TenantsService }) => tenantsResolvers(s.tenants) },
  },
  apiKeys: {
    routes: apiKeysRoutes,
    service: createApiKeysService,
    graphql: { sdl: new URL('./api-keys/api-keys.graphql', import.meta.url), resolvers: (s: { apiKeys: ApiKeysService }) => apiKeysResolvers(s.apiKeys) },
  },
  organizations: {
    routes: organizationsRoutes,
    service: createOrganizationsService,
    graphql: {
      sdl: new URL('./organizations/organizations.graphql', import.meta.url),
      resolvers: (s: { organizations: OrganizationsService }) => organizationsResolvers(s.organizations),
      loaders: (s: { organizations: OrganizationsService }) => organizationsLoaders(s.organizations),
    },
  },
  people: {
    routes: peopleRoutes,
    service: createPeopleService,
    graphql: {
      sdl: new URL('./people/people.graphql', import.meta.url),
      resolvers: (s: { people: PeopleService }) => peopleResolvers(s.people),
      loaders: (s: { people: PeopleService; organizations: OrganizationsService }) => peopleLoaders(s.people, s.organizations),
    },
  },
  relationships: {
    routes: relationshipsRoutes,
    service: createRelationshipsService,
    graphql: {
      sdl: new URL('./relationships/relationships.graphql', import.meta.url),
      resolvers: (s: { relationships: RelationshipsService }) => relationshipsResolvers(s.relationships),
      loaders: (s: { relationships: RelationshipsService; people: PeopleService }) => relationshipsLoaders(s.relationships, s.people),
    },
  },
  careerStrategies: {
    routes: careerStrategiesRoutes,
    service: createCareerStrategiesService,
    graphql: {
      sdl: new URL('./career-strategies/career-strategies.graphql', import.meta.url),
      resolvers: (s: { careerStrategies: CareerStrategiesService }) => careerStrategiesResolvers(s.careerStrategies),
      loaders: (s: { careerStrategies: CareerStrategiesService; people: PeopleService; organizations: OrganizationsService; interviews: InterviewsService }) =>
        careerStrategiesLoaders(s.careerStrategies, s.people, s.organizations, s.interviews),
    },
  },
  interviews: {
    routes: interviewsRoutes,
    service: createInterviewsService,
    graphql: {
      sdl: new URL('./interviews/interviews.graphql', import.meta.url),
      resolvers: (s: { interviews: InterviewsService }) => interviewsResolvers(s.interviews),
      loaders: (s: { interviews: InterviewsService; people: PeopleService; organizations: OrganizationsService }) =>
        interviewsLoaders(s.interviews, s.people, s.organizations),
    },
  },
  opportunities: {
    routes: opportunitiesRoutes,
    service: createOpportunitiesService,
    graphql: {
      sdl: new URL('./opportunities/opportunities.graphql', import.meta.url),
      resolvers: (s: { opportunities: OpportunitiesService }) => opportunitiesResolvers(s.opportunities),
      loaders: (s: { opportunities: OpportunitiesService; people: PeopleService; organizations: OrganizationsService; interviews: InterviewsService }) =>
        opportunitiesLoaders(s.opportunities, s.people, s.organizations, s.interviews),
    },
  },
  questionTemplates: {
    routes: questionTemplatesRoutes,
    service: createQuestionTemplatesService,
    graphql: {
      sdl: new URL('./question-templates/question-templates.graphql', import.meta.url),
      resolvers: (s: { questionTemplates: QuestionTemplatesService }) => questionTemplatesResolvers(s.questionTemplates),
      loaders: (s: { questionTemplates: QuestionTemplatesService }) => questionTemplatesLoaders(s.questionTemplates),
    },
  },
  analytics: {
    routes: analyticsRoutes,
    service: createAnalyticsService,
    graphql: {
      sdl: new URL('./analytics/analytics.graphql', import.meta.url),
      resolvers: (s: { analytics: AnalyticsService }) => analyticsResolvers(s.analytics),
      loaders: (s: { analytics: AnalyticsService }) => analyticsLoaders(s.analytics),
    },
  },
  // After the entities: it makes their records from the events it keeps.
  events: {
    routes: eventsRoutes,
    service: (db: Db, s: Parameters<typeof createEventsService>[1]) => createEventsService(db, s),
    graphql: { sdl: new URL('./events/events.graphql', import.meta.url), resolvers: (s: { events: EventsService }) => eventsResolvers(s.events) },
  },
  webhooks: {
    routes: webhooksRoutes,
    service: (db: Db, _s: unknown, config: Config) => createWebhooksService(db, config),
    graphql: { sdl: new URL('./webhooks/webhooks.graphql', import.meta.url), resolvers: (s: { webhooks: WebhooksService }) => webhooksResolvers(s.webhooks) },
  },
  // Last: it writes through every entity's service.
  imports: {
    routes: importsRoutes,
    service: (db: Db, s: Parameters<typeof importTargets>[0]) => createImportsService(db, importTargets(s)),
    graphql: { sdl: new URL('./imports/imports.graphql', import.meta.url), resolvers: (s: { imports: ImportsService }) => importsResolvers(s.imports) },
  },
} satisfies Record<string, ModuleDefinition>;

type Registry = typeof modules;
type WithService = { [K in keyof Registry]: Registry[K] extends { service: (...args: never[]) => unknown } ? K : never }[keyof Registry];

/** Every module's service, by the module's name. */
export type Services = { [K in WithService]: Registry[K] extends { service: (...args: never[]) => infer S } ? S : never };

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** The services of every module that has one, over one database. */
export function createServices(db: Db, config: Config = loadConfig({})): Services {
  const services: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(modules as Record<string, ModuleDefinition>)) if (m.service) services[name] = m.service(db, services as never, config);
  return services as Services;
}
