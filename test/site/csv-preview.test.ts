import { describe, expect, it } from 'vitest';
import { previewCsv } from '../../site/scripts/admin/csv-preview.ts';

describe('the subscriber import preview', () => {
  it('reads rows with their components, language and zone, numbering rows as the server does', () => {
    const preview = previewCsv('email,components,locale,timezone\r\nana@cliente.example,"panel;hosting-bogota",es,America/Bogota\r\n\r\nbob@cliente.example,,en,\n');
    expect(preview.rows).toEqual([
      { row: 2, email: 'ana@cliente.example', components: ['panel', 'hosting-bogota'], locale: 'es', timezone: 'America/Bogota' },
      { row: 4, email: 'bob@cliente.example', components: [], locale: 'en', timezone: undefined },
    ]);
    expect(preview.errors).toEqual([]);
  });

  it('says which rows cannot be read', () => {
    expect(previewCsv('email\nno-es-correo\n"con ""comillas""@x"\nok@cliente.example').errors).toEqual([
      { row: 2, message: '«no-es-correo» no es una dirección de correo' },
      { row: 3, message: '«con "comillas"@x» no es una dirección de correo' },
    ]);
  });

  it('needs a header naming the e-mail column', () => {
    expect(previewCsv('ana@cliente.example').errors).toEqual([{ row: 1, message: 'la primera fila debe nombrar las columnas, entre ellas «email»' }]);
  });
});
