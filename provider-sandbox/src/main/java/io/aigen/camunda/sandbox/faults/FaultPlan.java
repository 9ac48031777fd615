package io.aigen.camunda.sandbox.faults;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which share of the sandbox's provider answers go wrong, and how. Which requests are hit follows
 * from the seed and the request alone (its method, path, body and how often the same request came
 * before), not from the order requests arrive in: the same run of generations meets the same
 * faults.
 *
 * @param share of provider answers spoiled, 0 to 1
 * @param seed decides which answers and which kinds
 * @param providers provider ids hit (e.g. {@code fal}); empty = every provider
 * @param kinds the kinds drawn from, evenly, among those that apply to a request
 * @param retryAfterSeconds the {@code Retry-After} of {@link FaultKind#RATE_LIMITED}
 * @param slowAnswer how late {@link FaultKind#READ_TIMEOUT} answers; more than the client's read
 *     timeout
 * @param limit at most this many faults in all, then none; 0 = no limit (with share 1 and limit
 *     n: the first n requests a kind applies to go wrong, for tests)
 */
public record FaultPlan(double share, long seed, Set<String> providers, Set<FaultKind> kinds, int retryAfterSeconds, Duration slowAnswer, int limit) {

  /** No faults. */
  public static final FaultPlan NONE = new FaultPlan(0, 0, Set.of(), EnumSet.allOf(FaultKind.class), 1, Duration.ofSeconds(65), 0);

  public FaultPlan {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be within 0..1: " + share);
    }
    providers = Set.copyOf(Objects.requireNonNull(providers, "providers"));
    if (kinds == null || kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds must name at least one FaultKind");
    }
    kinds = Set.copyOf(kinds);
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must not be negative: " + retryAfterSeconds);
    }
    Objects.requireNonNull(slowAnswer, "slowAnswer");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  /** {@code share} of every provider's answers, every kind, {@code Retry-After: 1}, answers 65 s late. */
  public static FaultPlan of(double share, long seed) {
    return new FaultPlan(share, seed, Set.of(), EnumSet.allOf(FaultKind.class), 1, Duration.ofSeconds(65), 0);
  }

  public FaultPlan onlyFor(Set<String> providers) {
    return new FaultPlan(share, seed, providers, kinds, retryAfterSeconds, slowAnswer, limit);
  }

  public FaultPlan onlyKinds(Set<FaultKind> kinds) {
    return new FaultPlan(share, seed, providers, kinds, retryAfterSeconds, slowAnswer, limit);
  }

  public FaultPlan withRetryAfterSeconds(int retryAfterSeconds) {
    return new FaultPlan(share, seed, providers, kinds, retryAfterSeconds, slowAnswer, limit);
  }

  public FaultPlan withSlowAnswer(Duration slowAnswer) {
    return new FaultPlan(share, seed, providers, kinds, retryAfterSeconds, slowAnswer, limit);
  }

  /** The first {@code limit} requests of the plan's kinds go wrong, then none. */
  public static FaultPlan first(int limit, FaultKind... kinds) {
    return new FaultPlan(1, 0, Set.of(), EnumSet.copyOf(java.util.List.of(kinds)), 1, Duration.ofSeconds(65), limit);
  }

  public FaultPlan withLimit(int limit) {
    return new FaultPlan(share, seed, providers, kinds, retryAfterSeconds, slowAnswer, limit);
  }

  boolean hits(String provider) {
    return share > 0 && (providers.isEmpty() || providers.contains(provider));
  }
}
