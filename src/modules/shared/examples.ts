/**
 * The IDs of the one scenario the `examples` of openapi.yaml tell: at the Northfield University
 * career center, the student Ana Student asks Ben Engineer, a robotics engineer at Acme Robotics,
 * for an informational interview; Ben refers her on to Dana Lead, and Ana's career strategy
 * takes in what she learned. Shared so that every schema's examples point at the same records.
 */
export const exampleIds = {
  tenant: '7d3e2a10-5b8c-4f1e-9a2d-0c6b4e8f1a23',
  apiKey: '2d5f8b1e-9c3a-4f6d-b7e0-4a6c8e0b2d35',
  acmeRobotics: '1c4f7a2b-6d8e-4b3a-9c5d-7e2f0a1b3c46',
  ana: '3f6c1e2a-8b4d-4c7e-9f10-2a5b6c7d8e91',
  ben: '9b2e4d6f-1a3c-4e5b-8d7f-6c0a2b4e6f13',
  dana: '4b7d9f1a-3c5e-4a8b-9d2f-5c7e9a1b3d48',
  relationship: '5e8a1c3d-2f4b-4a6c-8e9d-1b3c5d7e9f20',
  interview: '6a9d2c4e-7b1f-4d3a-b5c8-2e4f6a8b0c17',
  careerStrategy: '8c1e3a5f-4d7b-4e9c-a2d6-3f5b7c9e1a24',
  opportunity: 'a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e35',
  questionTemplate: 'b4d6f8a0-2c3e-4a7b-9d1f-3e5a7b9d1f46',
} as const;
