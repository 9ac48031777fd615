package io.aigen.camunda.sandbox.http;

import java.util.Optional;

/** The {@code Authorization: Bearer <token>} check the Bearer-keyed simulations share: any token is accepted. */
public final class BearerAuth {

  private BearerAuth() {}

  /** The token of a {@code Bearer <token>} header (scheme case-insensitive); empty when absent or another scheme. */
  public static Optional<String> token(String authorization) {
    String[] parts = authorization == null ? new String[0] : authorization.trim().split("\\s+", 2);
    return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? Optional.of(parts[1]) : Optional.empty();
  }

  public static boolean present(String authorization) {
    return token(authorization).isPresent();
  }
}
