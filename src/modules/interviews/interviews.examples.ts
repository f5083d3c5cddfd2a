// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createInterviewExamples = [
  {
    externalId: 'ii-2026-0042',
    requesterId: exampleIds.ana,
    intervieweeId: exampleIds.ben,
    organizationId: exampleIds.acmeRobotics,
    status: 'requested',
    format: 'video',
    goals: 'Learn how Ben moved from mechanical engineering into robotics.',
    questions: [{ question: 'What does a typical week on your team look like?' }],
    tags: ['robotics'],
  },
];

export const updateInterviewExamples = [
  {
    status: 'completed',
    occurredAt: '2026-10-06T16:00:00Z',
    durationMinutes: 30,
    insights: [{ text: 'ROS 2 and C++ matter more than CAD for entry-level robotics roles.', category: 'skill' }],
  },
];

export const interviewExamples = [
  {
    id: exampleIds.interview,
    externalId: 'ii-2026-0042',
    createdAt: '2026-09-10T09:15:00.000Z',
    updatedAt: '2026-10-07T08:30:00.000Z',
    version: 4,
    requesterId: exampleIds.ana,
    intervieweeId: exampleIds.ben,
    organizationId: exampleIds.acmeRobotics,
    status: 'completed',
    scheduledAt: '2026-10-06T16:00:00.000Z',
    occurredAt: '2026-10-06T16:00:00.000Z',
    durationMinutes: 30,
    format: 'video',
    location: null,
    goals: 'Learn how Ben moved from mechanical engineering into robotics.',
    questions: [
      {
        question: 'What does a typical week on your team look like?',
        answer: 'Two days of field tests, the rest writing and reviewing motion-planning code.',
      },
    ],
    notes: 'Ben suggested a ROS 2 side project before applying for internships.',
    insights: [{ text: 'ROS 2 and C++ matter more than CAD for entry-level robotics roles.', category: 'skill' }],
    referrals: [{ personId: exampleIds.dana, note: 'Leads the controls team; hires interns each summer.' }],
    thankYouSentAt: '2026-10-06T20:10:00.000Z',
    followUps: [{ action: 'Email Dana Lead about summer internships', dueAt: '2026-10-13T17:00:00.000Z' }],
    skillRatings: { confidence: 4, communication: 4, interviewing: 3 },
    tags: ['robotics'],
  },
];
