import { arrayContains, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organizations } from '../../db/schema/index.js';
import { presentRecords } from '../shared/records.js';
import { createEntityService, type EntityService } from '../shared/entity-service.js';
import { clearOrganizationReferences, organizationDependents, type OrganizationRow } from './organizations.repository.js';
import { OrganizationInput, OrganizationListQuery, type Organization } from './organizations.schemas.js';

export function createOrganizationsService(db: Db): EntityService<Organization> {
  return createEntityService(db, {
    noun: 'organization',
    table: organizations,
    Input: OrganizationInput,
    Query: OrganizationListQuery,
    present: presentRecords<OrganizationRow>,
    toValues: (input) => input,
    filters: (q) => {
      const where: SQL[] = [];
      // A prefix match on lower(name): served by organizations_name_idx (text_pattern_ops).
      if (q.q) where.push(sql`lower(${organizations.name}) like ${`${q.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`);
      if (q.tag) where.push(arrayContains(organizations.tags, [q.tag]));
      if (q.industry) where.push(eq(organizations.industry, q.industry));
      return where;
    },
    dependents: organizationDependents,
    cascade: clearOrganizationReferences,
    constraintPaths: {},
  });
}
