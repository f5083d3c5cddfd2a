// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createPersonExamples = [
  {
    externalId: 'stu-1001',
    fullName: 'Ana Student',
    pronouns: 'she/her',
    emails: ['ana.student@northfield.example.edu'],
    roles: ['student'],
    program: 'BSc Mechanical Engineering',
    graduationYear: 2027,
    tags: ['robotics'],
  },
  {
    fullName: 'Ben Engineer',
    emails: ['ben.engineer@acme-robotics.example.com'],
    headline: 'Robotics engineer: motion planning for warehouse robots',
    roles: ['professional', 'alumnus'],
    organizationId: exampleIds.acmeRobotics,
    title: 'Senior Robotics Engineer',
  },
];

export const personExamples = [
  {
    id: exampleIds.ben,
    externalId: null,
    createdAt: '2026-09-01T14:10:00.000Z',
    updatedAt: '2026-09-01T14:10:00.000Z',
    version: 1,
    fullName: 'Ben Engineer',
    preferredName: 'Ben',
    pronouns: 'he/him',
    emails: ['ben.engineer@acme-robotics.example.com'],
    phone: null,
    location: 'Pittsburgh, PA',
    headline: 'Robotics engineer: motion planning for warehouse robots',
    linkedinUrl: 'https://www.linkedin.com/in/ben-engineer-example',
    roles: ['professional', 'alumnus'],
    program: 'BSc Mechanical Engineering',
    graduationYear: 2016,
    organizationId: exampleIds.acmeRobotics,
    title: 'Senior Robotics Engineer',
    tags: ['robotics', 'alumni-mentor'],
    doNotContact: false,
    notes: 'Happy to talk to students about moving from mechanical engineering into robotics.',
  },
];
