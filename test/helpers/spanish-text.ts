/**
 * Finds Spanish in text a person sees on an English console page: words with Spanish letters (á, ñ, ¿…) and common
 * Spanish words without them, minus an allow-list of names and values (the product's name, the provider's own data).
 */
const SPANISH_LETTERS = /[áéíóúüñ¿¡]/i;
const SPANISH_WORDS = new Set(
  (
    'de del la las el los y o en un una unos con sin para por que su sus al es son este esta ya hay ' +
    'incidentes incidente mantenimientos mantenimiento suscriptores suscriptor fuentes fuente correo cuentas cuenta ' +
    'salir idioma estado nombre rol acciones crear guardar buscar filtrar fecha cambios desde hasta todo todos mes ' +
    'inicio fin tipo ver zona fila componente componentes activa activo nunca mensaje entrar contraseña eliminar revocar ' +
    'propietario lector dos pasos creado uso abierto abiertos resuelto resueltos informe tabla enviar pausar reanudar ' +
    'quien qué quién cuando dirección acción severidad motivo actualizar actualización nuevo nueva vence vencido'
  ).split(' '),
);

export function spanishIn(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const phrase of allowed) rest = rest.split(phrase).join(' ');
  // Ids and codes (letters with digits, `a_b`, `a-b`) are values, not words.
  const words = rest.split(/[^\p{L}\p{N}¿¡_-]+/u).filter((w) => w && !/[\d_-]/.test(w));
  return [...new Set(words.filter((w) => SPANISH_LETTERS.test(w) || SPANISH_WORDS.has(w.toLowerCase())))];
}

/** Each Spanish word found with the line it is on, for a failure message a person can act on. */
export function spanishLines(text: string, allowed: readonly string[] = []): string[] {
  return text.split('\n').filter((line) => spanishIn(line, allowed).length).map((line) => `${spanishIn(line, allowed).join(', ')} ← ${line.trim().slice(0, 160)}`);
}
