import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';

const probes = `probes:
  - name: api-health
    target: http://10.0.0.1:8080/health
    labels: {service: API}
  - name: api-ready
    target: http://10.0.0.1:8080/ready
    labels: {service: API}
  - name: website
    target: https://www.example.com/
`;

function configError(text: string): ConfigError {
  try {
    parseConfig(text, 'vigil.yml', { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('status_page config', () => {
  it('defaults to one service per service label (else probe name), enabled, with a title', () => {
    const cfg = parseConfig(probes, 'vigil.yml', { env: {} });
    expect(cfg.status_page).toEqual({
      enabled: true,
      title: 'Service status',
      confirm_failures: 2,
      default_services: true,
      services: [
        { name: 'API', probes: ['api-health', 'api-ready'], targets: [] },
        { name: 'website', probes: ['website'], targets: [] },
      ],
    });
  });

  it('reads listed services with probes and job or job/instance targets', () => {
    const cfg = parseConfig(
      `${probes}status_page:
  title: Acme status
  description: Live status of Acme
  confirm_failures: 3
  services:
    - name: Public API
      description: REST API
      probes: [api-health]
      targets: [api, worker/w1:9100]
`,
      'vigil.yml',
      { env: {} },
    );
    expect(cfg.status_page).toEqual({
      enabled: true,
      title: 'Acme status',
      description: 'Live status of Acme',
      confirm_failures: 3,
      default_services: false,
      services: [{ name: 'Public API', description: 'REST API', probes: ['api-health'], targets: [{ job: 'api' }, { job: 'worker', instance: 'w1:9100' }] }],
    });
  });

  it('names file:line:column and the field of an unknown probe', () => {
    const e = configError(`${probes}status_page:
  services:
    - name: API
      probes: [api-health, api-typo]
`);
    expect(e.code).toBe('VIGIL_ERR_CONFIG_INVALID');
    expect(e.message).toBe('vigil.yml:13:28: status_page.services[0].probes[1]: unknown probe "api-typo" (not in probes:)');
  });

  it('rejects duplicate names, services without checks, bad targets and unknown fields', () => {
    expect(configError(`${probes}status_page:\n  services:\n    - {name: A, probes: [website]}\n    - {name: A, probes: [website]}\n`).message).toMatch(
      /^vigil\.yml:13:\d+: status_page\.services\[1\]\.name: duplicate service name "A"/,
    );
    expect(configError(`${probes}status_page:\n  services:\n    - name: Empty\n`).message).toMatch(/^vigil\.yml:12:\d+: status_page\.services\[0\]: service "Empty" lists no probes and no targets/);
    expect(configError(`${probes}status_page:\n  services:\n    - {name: A, targets: ['has space']}\n`).message).toMatch(/status_page\.services\[0\]\.targets\[0\]: target must be/);
    expect(configError(`${probes}status_page:\n  colour: red\n`).message).toMatch(/^vigil\.yml:11:3: status_page\.colour: unknown field "colour"/);
  });
});
