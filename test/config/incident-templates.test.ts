import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../worker/config/errors.ts';
import { loadConfigFile, parseConfigText } from '../../worker/config/load.ts';
import { MATRIX_POLICY_FILE, TEST_CONFIG_YAML, TWO_INCIDENT_TEMPLATES, testConfig } from '../helpers/config.ts';

const problemsOf = (extra: string, base = TEST_CONFIG_YAML) => {
  try {
    parseConfigText(base + extra, 'vigia.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected the config to be refused');
};


describe('incident templates in the config file', () => {
  it('reads a provider’s templates, and none when the key is left out', () => {
    const config = testConfig(TWO_INCIDENT_TEMPLATES);
    expect(config.incident_templates).toEqual([
      { id: 'correo-lento', severity: 3, components: ['correo'], title: { es: 'Correo lento', en: 'Slow mail' }, message: { es: 'Los mensajes tardan.', en: 'Messages are late.' } },
      { id: 'telefonia-caida', severity: 1, components: [], title: { es: 'Telefonía caída', en: 'Telephony down', 'pt-BR': 'Telefonia fora do ar' }, message: { es: 'Sin llamadas.', en: 'No calls.', 'pt-BR': 'Sem chamadas.' } },
    ]);
    expect(testConfig().incident_templates).toBeUndefined();
  });

  it('names the file, the key path and the problem of each bad template', () => {
    const malformed = `
incident_templates:
  - { id: b, severity: 2, title: { es: B }, message: { es: B, en: B } }
  - { id: d, severity: 1, title: { es: D, en: D }, message: { es: "", en: D } }
  - { id: E, severity: 1, title: { es: E, en: E }, message: { es: E, en: E }, colour: red }
`;
    expect(problemsOf(malformed).sort()).toEqual(
      [
        'vigia.config.yaml: incident_templates[0].title.en: is required (string)',
        'vigia.config.yaml: incident_templates[1].message.es: must not be empty',
        'vigia.config.yaml: incident_templates[2].id: must be lower-case letters, digits, "-" or "_" (at most 64)',
        'vigia.config.yaml: incident_templates[2].colour: unknown key "colour"',
      ].sort(),
    );
    // What a template names is checked against the rest of the file once the file's shape is sound.
    const unknown = `
incident_templates:
  - { id: a, severity: 7, title: { es: A, en: A }, message: { es: A, en: A } }
  - { id: c, title: { es: C, en: C }, message: { es: C, en: C }, components: [correo, fantasma] }
  - { id: d, severity: 1, priority: alta, title: { es: D, en: D }, message: { es: D, en: D } }
`;
    expect(problemsOf(unknown).sort()).toEqual(
      [
        'vigia.config.yaml: incident_templates[0].severity: severity 7 is not one of the policy\'s levels (1, 2, 3, 4)',
        'vigia.config.yaml: incident_templates[1].severity: is required (one of the policy\'s levels: 1, 2, 3, 4)',
        'vigia.config.yaml: incident_templates[1].components[1]: unknown component "fantasma"',
        'vigia.config.yaml: incident_templates[2].priority: the policy has no priority_matrix: give a severity',
      ].sort(),
    );
    expect(problemsOf(`${TWO_INCIDENT_TEMPLATES}  - { id: correo-lento, severity: 2, title: { es: X, en: X }, message: { es: X, en: X } }\n`)).toEqual([
      'vigia.config.yaml: incident_templates[2].id: duplicate template id "correo-lento"',
    ]);
  });

  it('with a priority × impact policy, asks for a known priority and impact instead of a severity', () => {
    const config = loadConfigFile(MATRIX_POLICY_FILE);
    expect(config.incident_templates?.map((t) => [t.id, t.priority, t.impact])).toEqual([
      ['tienda-caida', 'alta', 'alto'],
      ['formularios-lentos', 'media', 'medio'],
      ['sitio-lento', 'baja', 'medio'],
    ]);
    const base = `
site: { name: Agencia, url: "https://estado.agencia.example" }
components: [{ id: sitios, name: Sitios }]
severities:
  - { level: 1, name: { es: Uno, en: One }, description: { es: Uno, en: One } }
  - { level: 2, name: { es: Dos, en: Two }, description: { es: Dos, en: Two } }
priority_matrix:
  priorities: [{ id: alta, name: { es: Alta, en: High } }]
  impacts: [{ id: alto, name: { es: Alto, en: High } }, { id: bajo, name: { es: Bajo, en: Low } }]
  levels: { alta: { alto: 1, bajo: 2 } }
`;
    expect(
      problemsOf(
        `incident_templates:
  - { id: a, severity: 1, title: { es: A, en: A }, message: { es: A, en: A } }
  - { id: b, priority: urgente, impact: enorme, title: { es: B, en: B }, message: { es: B, en: B } }
`,
        base,
      ).sort(),
    ).toEqual(
      [
        'vigia.config.yaml: incident_templates[0].severity: the policy is a priority × impact matrix: give priority and impact instead',
        'vigia.config.yaml: incident_templates[0].priority: is required with a priority matrix (one of alta)',
        'vigia.config.yaml: incident_templates[0].impact: is required with a priority matrix (one of alto, bajo)',
        'vigia.config.yaml: incident_templates[1].priority: unknown priority "urgente" (one of alta)',
        'vigia.config.yaml: incident_templates[1].impact: unknown impact "enorme" (one of alto, bajo)',
      ].sort(),
    );
  });
});
