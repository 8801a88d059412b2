import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { IsNonTrivialSecret } from '../../common/http/validators';
import { NOTIFICATION_EVENTS, NotificationEvent } from '../../common/notification-events';

export class CreateWebhookDto {
  /** https (plain http only in development); never link-local or metadata addresses. */
  @IsString()
  @MaxLength(2000)
  url!: string;

  @IsArray()
  @ArrayMinSize(1)
  // A subscription may take every event (each once, `ArrayUnique`); a literal, so the published
  // document states it (the Swagger plugin reads no expressions).
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsIn(NOTIFICATION_EVENTS, {
    each: true,
    message: `each event type must be one of ${NOTIFICATION_EVENTS.join(', ')}`,
  })
  eventTypes!: NotificationEvent[];

  /** Shared secret for the HMAC-SHA256 signature, 32–200 characters, not one character repeated. */
  @IsString()
  @Length(32, 200)
  @IsNonTrivialSecret()
  secret!: string;
}

export class WebhookView {
  id!: string;
  url!: string;
  eventTypes!: string[];
  active!: boolean;
  /** Failed deliveries in a row; shown to the subscription's owner only (README "Webhooks"). */
  consecutiveFailures?: number;
  /** Why it was switched off after failures; shown to the subscription's owner only. */
  disabledReason?: string | null;
  createdAt!: string;
}

export class WebhookAttemptView {
  attemptedAt!: string;
  statusCode!: number | null;
  error!: string | null;
  durationMs!: number;
}

export class WebhookDeliveryView {
  id!: string;
  notificationId!: string;
  eventType!: string;
  status!: string;
  attempts!: WebhookAttemptView[];
  deliveredAt!: string | null;
}
