import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { interviews, questionTemplates } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import type { QuestionTemplateListQuery } from './question-templates.schemas.js';

export type QuestionTemplateRow = typeof questionTemplates.$inferSelect;

export const questionTemplatesRepository = createEntityRepository<QuestionTemplateRow, QuestionTemplateListQuery>(questionTemplates, (q) => {
  const where: SQL[] = [];
  if (q.category) where.push(eq(questionTemplates.category, q.category));
  if (q.active) where.push(eq(questionTemplates.active, q.active === 'true'));
  return where;
});

/** Who cites a template: interviews with a question that carries its templateId. */
export async function templateDependents(db: Executor, tenantId: string, id: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ n: count() })
    .from(interviews)
    .where(and(eq(interviews.tenantId, tenantId), sql`${interviews.questions} @> ${JSON.stringify([{ templateId: id }])}::jsonb`));
  return { interviews: Number(rows[0]?.n ?? 0) };
}

/** A cited template is part of the interviews' record: it can be deactivated, never deleted. */
export async function refuseCascade(_tx: Tx, _tenantId: string, _id: string, dependents: Record<string, number>): Promise<void> {
  if ((dependents.interviews ?? 0) > 0) {
    throw new AppError('conflict', 'Interviews cite this question template: deactivate it (active: false) instead; cascade does not delete it.', {
      extra: { dependents },
    });
  }
}
