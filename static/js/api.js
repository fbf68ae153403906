// fetch with Django's CSRF header and the API's error shape: {"errors": [{path, node, message}]}.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, errors) {
    super(errors.map((e) => e.message).join('; '));
    this.status = status;
    this.errors = errors;
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector('input[name=csrfmiddlewaretoken]');
  return input ? input.value : '';
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, [{ path: '', node: null, message: t('error.network') }]);
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) {
    const errors = data && Array.isArray(data.errors) && data.errors.length
      ? data.errors
      : [{ path: '', node: null, message: t('error.http', { status: response.status }) }];
    throw new ApiError(response.status, errors);
  }
  return data;
}

export const getJSON = (path) => request('GET', path);
export const postJSON = (path, body = {}) => request('POST', path, body);
