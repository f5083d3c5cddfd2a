import type { Db } from '../../db/client.js';
import { createEntityService } from '../shared/entity-service.js';
import { presentRecords } from '../shared/records.js';
import { clearOrganizationReferences, organizationDependents, organizationsRepository, type OrganizationRow } from './organizations.repository.js';
import { OrganizationInput, OrganizationListQuery } from './organizations.schemas.js';

export function createOrganizationsService(db: Db) {
  return createEntityService(db, {
    noun: 'organization',
    repository: organizationsRepository,
    Input: OrganizationInput,
    Query: OrganizationListQuery,
    present: presentRecords<OrganizationRow>,
    // The record is its row: GraphQL may build it as JSON in SQL.
    recordColumns: {},
    toValues: (input) => input,
    dependents: organizationDependents,
    cascade: clearOrganizationReferences,
    constraintPaths: {},
  });
}
export type OrganizationsService = ReturnType<typeof createOrganizationsService>;
