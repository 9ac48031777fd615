package io.aigen.camunda.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** fal answers 429 with Retry-After; the header may be seconds or an HTTP date. */
class RetryAfterTest {

  @Test
  void secondsAreTakenAsGiven() {
    assertThat(ProviderEndpoint.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ProviderEndpoint.retryAfter(" 30 ")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void negativeSecondsMeanNow() {
    assertThat(ProviderEndpoint.retryAfter("-5")).isEqualTo(Duration.ZERO);
  }

  @Test
  void httpDateInTheFutureIsTheTimeUntilThen() {
    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(ProviderEndpoint.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
  }

  @Test
  void httpDateInThePastMeansNow() {
    assertThat(ProviderEndpoint.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
  }

  @Test
  void absentOrUnreadableIsNoWish() {
    assertThat(ProviderEndpoint.retryAfter(null)).isNull();
    assertThat(ProviderEndpoint.retryAfter(" ")).isNull();
    assertThat(ProviderEndpoint.retryAfter("soon")).isNull();
  }
}
