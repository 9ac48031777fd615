package io.aigen.camunda.sandbox.fal;

import java.util.List;
import java.util.Set;

/**
 * A path under {@code /fal}, split per fal's subpath rule: submit is {@code POST
 * /{owner}/{app}[/{subpath...}]}, while status, result and cancel live under {@code
 * /{owner}/{app}/requests/{id}} only (docs/providers.md §1.1). Apps in the {@code workflows} and {@code
 * comfy} namespaces have a three-segment id, e.g. {@code workflows/acme/pipeline}.
 *
 * @param appId {@code owner/app}, or {@code namespace/owner/app}
 * @param requestId for queue calls; {@code null} for submit
 * @param subpath segments after the app id of a submit path
 */
record FalRoute(Kind kind, String appId, String requestId, List<String> subpath) {

  enum Kind {
    SUBMIT("POST"),
    STATUS("GET"),
    STATUS_STREAM("GET"),
    RESULT("GET"),
    CANCEL("PUT"),
    NOT_FOUND(null);

    final String method;

    Kind(String method) {
      this.method = method;
    }
  }

  static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

  static FalRoute parse(List<String> segments) {
    int appLength = !segments.isEmpty() && NAMESPACES.contains(segments.getFirst()) ? 3 : 2;
    if (segments.size() < appLength) {
      return new FalRoute(Kind.NOT_FOUND, null, null, List.of());
    }
    String appId = String.join("/", segments.subList(0, appLength));
    List<String> rest = segments.subList(appLength, segments.size());
    if (rest.isEmpty() || !rest.getFirst().equals("requests")) {
      return new FalRoute(Kind.SUBMIT, appId, null, List.copyOf(rest));
    }
    Kind kind =
        switch (String.join("/", rest.subList(Math.min(2, rest.size()), rest.size()))) {
          case "" -> rest.size() == 2 ? Kind.RESULT : Kind.NOT_FOUND;
          case "status" -> Kind.STATUS;
          case "status/stream" -> Kind.STATUS_STREAM;
          case "cancel" -> Kind.CANCEL;
          default -> Kind.NOT_FOUND;
        };
    return new FalRoute(kind, appId, rest.size() >= 2 ? rest.get(1) : null, List.of());
  }

  /** A queue call aimed at {@code owner/app/subpath}, e.g. {@code GET /fal-ai/flux/dev/requests/{id}/status}. */
  boolean subpathHoldsQueueCall() {
    return kind == Kind.SUBMIT && subpath.contains("requests");
  }
}
