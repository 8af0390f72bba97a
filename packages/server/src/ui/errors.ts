import { VigilError } from '../errors.js';

/** Error answered by the dashboard's API for a bad request parameter (`VIGIL_ERR_UI_BAD_REQUEST`, HTTP 400). */
export class DashboardRequestError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_UI_BAD_REQUEST', message, options);
  }
}

/** Error answered when the dashboard's assets are missing and cannot be built (`VIGIL_ERR_UI_ASSETS`, HTTP 503). */
export class DashboardAssetsError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_UI_ASSETS', message, options);
  }
}
