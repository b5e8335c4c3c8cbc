import { AppError } from "../integrations/core/errors";

/**
 * The errors integrations throw live in `integrations/core/errors.ts` (the
 * lower layer); they are re-exported here so the app imports every error
 * from one module and `instanceof` sees one class. Below: route-layer errors,
 * built on the same `AppError`.
 */
export {
  AppError,
  AuthenticationError,
  ConnectionError,
  IntegrationError,
  ValidationError,
  WebhookVerificationError,
} from "../integrations/core/errors";

/** A body larger than the route accepts (413). */
export class PayloadTooLargeError extends AppError {
  override name = "PayloadTooLargeError";
  constructor(limitBytes: number) {
    super("payload_too_large", `Body exceeds ${limitBytes} bytes`, 413);
  }
}

/** A tenant, journey or other resource that does not exist (404). */
export class NotFoundError extends AppError {
  override name = "NotFoundError";
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

/**
 * The intake queue refused a verified delivery (503): nothing was accepted,
 * so the provider's retry brings the delivery back.
 */
export class IntakeUnavailableError extends AppError {
  override name = "IntakeUnavailableError";
  constructor(cause: unknown) {
    super("intake_unavailable", "The event could not be accepted now; retry later", 503, { cause });
  }
}
