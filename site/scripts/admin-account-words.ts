/** What the console's sign-in, account, token and audit screens say about the API's refusals, in Spanish. Pure. */
import type { ApiErrorBody } from './admin-words.ts';

/** Minutes to wait, from a `Retry-After` in seconds. */
const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export function signInError(error: ApiErrorBody, retryAfterSeconds: number): string {
  switch (error.code) {
    case 'invalid_credentials':
      return 'El correo o la contraseña (o el código) no son correctos.';
    case 'totp_required':
      return 'Escriba el código de seis cifras de su aplicación de autenticación.';
    case 'signin_locked':
      return `Demasiados intentos fallidos con esta cuenta. Espere ${minutes(retryAfterSeconds)} min y vuelva a intentarlo.`;
    case 'rate_limited':
      return `Demasiados intentos desde esta dirección. Espere ${minutes(retryAfterSeconds)} min.`;
    default:
      return accountError(error);
  }
}

export function accountError(error: ApiErrorBody): string {
  switch (error.code) {
    case 'link_used':
      return 'Este enlace ya se usó. Pida uno nuevo desde la página de entrada.';
    case 'link_expired':
      return 'Este enlace venció. Pida uno nuevo desde la página de entrada.';
    case 'link_invalid':
      return 'Este enlace no es válido. Pida uno nuevo desde la página de entrada.';
    case 'account_exists':
      return 'Ya existe una cuenta con ese correo.';
    case 'last_owner':
      return 'Es el último propietario que puede entrar: nombre antes a otro propietario.';
    case 'wrong_password':
      return 'La contraseña actual no es correcta.';
    case 'totp_wrong':
      return 'El código no coincide. Revise la hora del teléfono y pruebe con el siguiente código.';
    case 'totp_enabled':
      return 'La verificación en dos pasos ya está activa.';
    case 'token_revoked':
      return 'Ese token ya estaba revocado.';
    case 'forbidden':
      return 'Su rol no permite este cambio.';
    case 'csrf_failed':
      return 'La sesión de esta pestaña no es válida; recargue la página.';
    case 'invalid_request':
      return /password/.test(error.message) ? 'La contraseña debe tener al menos 10 caracteres.' : /email/.test(error.message) ? 'Escriba una dirección de correo válida.' : 'Revise los campos del formulario.';
    default:
      return `El servidor no pudo hacer el cambio (código «${error.code}»).`;
  }
}

/** The audit log's entity names. */
export const ENTITY_WORDS: Record<string, string> = {
  incident: 'Incidente',
  maintenance: 'Mantenimiento',
  source: 'Fuente',
  subscriber: 'Suscriptor',
  outbox: 'Correo saliente',
  account: 'Cuenta',
  token: 'Token de API',
  session: 'Sesión',
};
