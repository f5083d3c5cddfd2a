import type { Executor } from '../../db/client.js';
import { questionTemplates, type questionCategories } from '../../db/schema/index.js';

type Category = (typeof questionCategories)[number];

/**
 * The bank every new tenant starts with (skipped with `--no-question-bank`): five questions per
 * category, written for this project, in the order a conversation tends to take. Each has a
 * stable external ID (`qb-<category>-<n>`), so a career center can re-import or retire them.
 */
export const defaultQuestionBank: Record<Category, readonly string[]> = {
  role_and_day: [
    'What does a typical week look like for you, and how much of it is planned versus reacting to what comes up?',
    'Which parts of your work give you the most energy, and which drain it?',
    'What problem are you working on right now, and how will you know it is solved?',
    'Who do you work with most closely, inside and outside your team?',
    'What surprised you most about this role when you started?',
  ],
  career_path: [
    'How did you get from where you studied to the work you do now?',
    'Was there a decision or a turning point that shaped your path more than you expected at the time?',
    'What did your first job in this field teach you that still matters today?',
    'If you were starting again today, what would you do differently?',
    'Where do people in your role usually go next, and where do you hope to go?',
  ],
  industry: [
    'What is changing fastest in your industry, and who is gaining or losing from it?',
    'What do outsiders most often misunderstand about this field?',
    'Which organizations or people do you follow to keep up with the industry?',
    'How do entry-level hiring and pay look in this field right now?',
    'What trends would you watch if you were entering the industry in the next two years?',
  ],
  skills: [
    'Which skills matter most for succeeding in your role, and which are hardest to learn on the job?',
    'What do strong new hires do in their first six months that others do not?',
    'Which courses, projects or experiences would best prepare me for this kind of work?',
    'How do people here show they have a skill when they have no formal credential for it?',
    'Looking at my background, which gaps would you work on first?',
  ],
  organization_and_culture: [
    'How would you describe the culture of your organization to a friend?',
    'How are decisions made on your team, and how much say do newer people have?',
    'What kind of person thrives here, and who tends to struggle?',
    'How does your organization support learning, mentoring and growth?',
    'How do people here balance work with the rest of their lives?',
  ],
  advice: [
    'What is the best career advice you have received, and what advice would you ignore?',
    'What do you wish someone had told you when you were a student?',
    'How would you approach the job search in this field if you were in my position?',
    'What mistakes do you see people make when they try to break into this field?',
    'What would make a candidate like me stand out to you?',
  ],
  next_steps_and_referrals: [
    'Who else would you suggest I talk to, and may I mention your name when I reach out?',
    'Are there events, groups or communities where people in this field meet?',
    'Are there openings or projects coming up that are not advertised yet?',
    'What would be a useful next step for me after our conversation?',
    'May I keep you posted on how things go, and what is the best way to reach you?',
  ],
};

/** The default bank as rows of a tenant, inserted in one statement (the caller's transaction). */
export async function seedQuestionBank(db: Executor, tenantId: string): Promise<number> {
  const rows = Object.entries(defaultQuestionBank).flatMap(([category, texts]) =>
    texts.map((text, i) => ({ tenantId, externalId: `qb-${category.replaceAll('_', '-')}-${i + 1}`, text, category: category as Category, tags: ['default-bank'] })),
  );
  await db.insert(questionTemplates).values(rows);
  return rows.length;
}
