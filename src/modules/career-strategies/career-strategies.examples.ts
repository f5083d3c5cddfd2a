// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createCareerStrategyExamples = [
  {
    personId: exampleIds.ana,
    title: 'Into robotics engineering',
    skills: ['C++', 'SolidWorks'],
    targetRoles: ['Robotics Engineer'],
    targetIndustries: ['Robotics'],
    goals: [{ description: 'Build a small ROS 2 project', targetDate: '2027-01-31' }],
    targetOrganizationIds: [exampleIds.acmeRobotics],
    informedByInterviewIds: [exampleIds.interview],
  },
];

const careerStrategyExample = {
  id: exampleIds.careerStrategy,
  externalId: null,
  createdAt: '2026-10-09T10:00:00.000Z',
  updatedAt: '2026-10-20T15:30:00.000Z',
  version: 2,
  personId: exampleIds.ana,
  title: 'Into robotics engineering',
  status: 'active',
  skills: ['C++', 'SolidWorks'],
  values: ['Hands-on work'],
  talents: [],
  interests: ['Autonomous systems'],
  targetRoles: ['Robotics Engineer', 'Controls Engineer'],
  targetIndustries: ['Robotics'],
  targetLocations: ['Pittsburgh, PA'],
  collaborators: ['A small hardware-and-software team'],
  workStyle: 'Mostly on site, close to the robots.',
  goals: [{ description: 'Build a small ROS 2 project', targetDate: '2027-01-31', status: 'open' }],
  targetOrganizationIds: [exampleIds.acmeRobotics],
  informedByInterviewIds: [exampleIds.interview],
};

export const careerStrategyExamples = [careerStrategyExample];

export const careerStrategyRevisionExamples = [
  {
    revision: 1,
    createdAt: '2026-10-20T15:30:00.000Z',
    snapshot: {
      ...careerStrategyExample,
      updatedAt: '2026-10-09T10:00:00.000Z',
      version: 1,
      status: 'draft',
      targetRoles: ['Robotics Engineer'],
    },
  },
];
