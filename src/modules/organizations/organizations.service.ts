import { arrayContains, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organizations } from '../../db/schema/index.js';
import { iso } from '../shared/common.schemas.js';
import { createEntityService, type EntityService } from '../shared/entity-service.js';
import { clearOrganizationReferences, organizationDependents, type OrganizationRow } from './organizations.repository.js';
import { OrganizationInput, OrganizationListQuery, type Organization } from './organizations.schemas.js';

export const toOrganization = (row: OrganizationRow): Organization => ({
  id: row.id,
  externalId: row.externalId,
  name: row.name,
  website: row.website,
  industry: row.industry,
  size: row.size,
  location: row.location,
  description: row.description,
  tags: row.tags,
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
  version: row.version,
});

export function createOrganizationsService(db: Db): EntityService<Organization> {
  return createEntityService(db, {
    noun: 'organization',
    table: organizations,
    Input: OrganizationInput,
    Query: OrganizationListQuery,
    present: async (_tx, _tenantId, rows: OrganizationRow[]) => rows.map(toOrganization),
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
