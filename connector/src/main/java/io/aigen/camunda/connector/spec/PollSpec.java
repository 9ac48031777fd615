package io.aigen.camunda.connector.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A declarative description of one asynchronous generation API: how to submit a job, read its
 * status, fetch its result and cancel it. Every built-in provider is a preset of this record;
 * users can write their own.
 *
 * <p>String values may contain placeholders, see {@link Template}. Presets and custom specs are
 * written in JSON and read by {@link SpecReader}.
 *
 * @param forwardAuth whether status, result and cancel requests carry the API key too (AsyncQueue's
 *     {@code forwardAuth}); the submit always does
 * @param callback how the provider calls back, when it can; {@code null} when it must be polled
 * @param mediaHosts where the provider serves its outputs besides its own host (its CDN): host
 *     names, {@code *.example.com} for any subdomain. Outputs are copied (task option {@code
 *     keepOutputs}) from there and from the base URL's host only, and always without credentials
 * @param options the options the spec understands; {@code null} when it does not say (a custom
 *     spec without an {@code "options"} list), and then any option is passed on
 * @param modeler how the preset appears in Camunda Modeler; {@code null} for custom specs
 * @param recover how to find a job an earlier submit created; {@code null} when the provider
 *     offers no way (the job is submitted again, see the README's submit window)
 */
public record PollSpec(
    String id,
    String label,
    String baseUrl,
    Auth auth,
    Map<String, String> headers,
    Submit submit,
    Status status,
    Result result,
    Cancel cancel,
    Timing timing,
    boolean forwardAuth,
    Callback callback,
    List<String> mediaHosts,
    List<ProviderOption> options,
    ModelerEntry modeler,
    Recover recover) {

  public PollSpec {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    mediaHosts = mediaHosts == null ? List.of() : List.copyOf(mediaHosts);
    if (timing == null) {
      timing = Timing.DEFAULT;
    }
    options = options == null ? null : List.copyOf(options);
  }

  /** The declared option {@code name}, if the spec declares options and this one among them. */
  public Optional<ProviderOption> option(String name) {
    return options == null ? Optional.empty() : options.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  public boolean canCallBack() {
    return callback != null;
  }

  public boolean canCancel() {
    return cancel != null;
  }

  public PollSpec withBaseUrl(String newBaseUrl) {
    return new PollSpec(id, label, newBaseUrl, auth, headers, submit, status, result, cancel, timing, forwardAuth, callback, mediaHosts, options, modeler, recover);
  }

  public PollSpec withCallback(Callback newCallback) {
    return new PollSpec(id, label, baseUrl, auth, headers, submit, status, result, cancel, timing, forwardAuth, newCallback, mediaHosts, options, modeler, recover);
  }

  /** The spec with {@code extraHosts} added to its media hosts. */
  public PollSpec withMediaHosts(List<String> extraHosts) {
    List<String> hosts = new java.util.ArrayList<>(mediaHosts);
    extraHosts.stream().filter(host -> !hosts.contains(host)).forEach(hosts::add);
    return new PollSpec(id, label, baseUrl, auth, headers, submit, status, result, cancel, timing, forwardAuth, callback, hosts, options, modeler, recover);
  }

  public PollSpec withTiming(Timing newTiming) {
    return new PollSpec(id, label, baseUrl, auth, headers, submit, status, result, cancel, newTiming, forwardAuth, callback, mediaHosts, options, modeler, recover);
  }
}
