package io.aigen.camunda.sandbox.faults;

import io.aigen.camunda.sandbox.http.SandboxRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Draws the fault, if any, for each provider request, from the plan's seed and the request: the
 * n-th time the same request (method, path, query and body) arrives always draws the same. Submits
 * are the provider's POSTs other than cancels.
 */
public final class FaultInjector {

  private volatile FaultPlan plan = FaultPlan.NONE;
  private final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final AtomicInteger injected = new AtomicInteger();

  public FaultPlan plan() {
    return plan;
  }

  /** Applies {@code plan} from now on; the count of requests seen starts again. */
  public void use(FaultPlan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
    seen.clear();
    injected.set(0);
  }

  /** @return the fault for this request, or {@code null} */
  public Fault draw(String provider, SandboxRequest request, String fullPath) {
    FaultPlan current = plan;
    if (provider == null || !current.hits(provider)) {
      return null;
    }
    boolean submit = isSubmit(request.method(), fullPath);
    List<FaultKind> kinds = current.kinds().stream().filter(k -> k.appliesTo(submit, request.method())).sorted().toList();
    if (kinds.isEmpty()) {
      return null;
    }
    String key = request.method() + " " + fullPath + "?" + request.rawQuery() + " " + digest(request.body());
    int occurrence = seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    long hash = hash(current.seed(), key, occurrence);
    double roll = (hash >>> 11) / (double) (1L << 53);
    if (roll >= current.share()) {
      return null;
    }
    if (current.limit() > 0 && injected.incrementAndGet() > current.limit()) {
      return null;
    }
    long second = hash(current.seed() + 1, key, occurrence);
    return new Fault(kinds.get((int) Math.floorMod(second, kinds.size())), second >>> 8, current);
  }

  /** A provider's submit: a POST that is not a cancel. */
  public static boolean isSubmit(String method, String path) {
    return method.equals("POST") && !path.endsWith("/cancel");
  }

  private static long hash(long seed, String key, int occurrence) {
    MessageDigest sha = sha256();
    sha.update(ByteBuffer.allocate(12).putLong(seed).putInt(occurrence).array());
    sha.update(key.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(sha.digest()).getLong();
  }

  private static String digest(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    return Long.toHexString(ByteBuffer.wrap(sha256().digest(body)).getLong());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
