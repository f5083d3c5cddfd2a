import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { interviewReferrals, interviews, opportunities, organizations, people, questionTemplates, relationships } from '../db/schema/index.js';
import { withTenant } from '../db/tenant-transaction.js';
import { createTenant } from '../modules/tenants/tenants.service.js';

/** Now, moved by a number of days (fractions for hours): the demo's dates stay recent. */
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

/**
 * On an empty embedded database, a demo tenant with a small network to explore. Returns the
 * demo key's secret the one time it exists; null when the database already had a tenant.
 */
export async function seedDemoIfEmpty(db: Db): Promise<{ tenantId: string; apiKey: string } | null> {
  const existing = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from tenants`));
  if ((existing[0]?.n ?? 0) > 0) return null;
  const { tenant, apiKey } = await createTenant(db, { name: 'Demo Career Center' });
  await withTenant(db, tenant.id, (tx) => seedNetwork(tx, tenant.id));
  return { tenantId: tenant.id, apiKey: apiKey.secret };
}

async function seedNetwork(tx: Tx, tenantId: string): Promise<void> {
  const [acme, civic] = await tx
    .insert(organizations)
    .values([
      { tenantId, externalId: 'org-acme', name: 'Acme Robotics', industry: 'Robotics', size: '201-1000', location: 'Lyon' },
      { tenantId, externalId: 'org-civic', name: 'Civic Data Lab', industry: 'Public sector', size: '11-50', location: 'Utrecht' },
    ])
    .returning({ id: organizations.id });
  const [ana, ben, chloe] = await tx
    .insert(people)
    .values([
      { tenantId, externalId: 'stu-1001', fullName: 'Ana Student', roles: ['student'], program: 'BSc Computer Science', graduationYear: 2027, emails: ['ana@example.edu'] },
      { tenantId, externalId: 'pro-2001', fullName: 'Ben Engineer', roles: ['professional', 'alumnus'], organizationId: acme!.id, title: 'Robotics Engineer', graduationYear: 2015 },
      { tenantId, externalId: 'pro-2002', fullName: 'Chloe Analyst', roles: ['professional', 'mentor'], organizationId: civic!.id, title: 'Data Analyst' },
    ])
    .returning({ id: people.id });
  await tx.insert(relationships).values([
    { tenantId, personId: ana!.id, contactId: ben!.id, kind: 'alumnus', source: 'alumni_network', strength: 2 },
    { tenantId, personId: ana!.id, contactId: chloe!.id, kind: 'other', source: 'referral', introducedById: ben!.id, strength: 1 },
  ]);
  // The default bank came with the tenant: the first interview's question is one of it.
  const [weekQuestion] = await tx.select().from(questionTemplates).where(sql`${questionTemplates.externalId} = 'qb-role-and-day-1'`);
  const [benChat] = await tx.insert(interviews).values([
    {
      tenantId,
      requesterId: ana!.id,
      intervieweeId: ben!.id,
      organizationId: acme!.id,
      status: 'completed',
      scheduledAt: daysFromNow(-7),
      occurredAt: daysFromNow(-7),
      durationMinutes: 30,
      format: 'video',
      goals: 'Learn what a robotics engineer does day to day',
      questions: weekQuestion
        ? [{ question: weekQuestion.text, answer: 'Half design reviews, half lab work.', templateId: weekQuestion.id }]
        : [{ question: 'What does a typical week look like?', answer: 'Half design reviews, half lab work.' }],
      thankYouSentAt: daysFromNow(-7 + 3 / 24),
      insights: [{ text: 'Controls theory matters more than I thought', category: 'skill' }],
      followUps: [{ action: 'Send a thank-you note', doneAt: daysFromNow(-7 + 3 / 24).toISOString() }, { action: 'Read up on ROS 2' }],
      skillRatings: { confidence: 3, communication: 4, interviewing: 3 },
    },
    {
      // A first, shorter call two weeks before: her ratings since show growth.
      tenantId,
      requesterId: ana!.id,
      intervieweeId: ben!.id,
      organizationId: acme!.id,
      status: 'completed',
      scheduledAt: daysFromNow(-21),
      occurredAt: daysFromNow(-21),
      durationMinutes: 15,
      format: 'phone',
      goals: 'Ask whether a longer conversation would be welcome',
      skillRatings: { confidence: 2, communication: 3, interviewing: 2 },
    },
    {
      tenantId,
      requesterId: ana!.id,
      intervieweeId: chloe!.id,
      organizationId: civic!.id,
      status: 'scheduled',
      scheduledAt: daysFromNow(3),
      format: 'in_person',
      goals: 'Understand data work in the public sector',
    },
  ]).returning({ id: interviews.id });
  // Ben suggested Chloe (the relationship above is the referral it made).
  await tx.insert(interviewReferrals).values({ tenantId, interviewId: benChat!.id, position: 0, personId: chloe!.id, note: 'Data work in the public sector' });
  // What the first conversation led to: an internship never posted, passed on by Ben, now an offer.
  await tx.insert(opportunities).values({
    tenantId,
    seekerId: ana!.id,
    organizationId: acme!.id,
    title: 'Robotics software intern',
    kind: 'internship',
    advertised: false,
    source: 'referral',
    referredById: ben!.id,
    sourceInterviewId: benChat!.id,
    status: 'offered',
    appliedAt: daysFromNow(-5),
    offeredAt: daysFromNow(-1),
  });
}
