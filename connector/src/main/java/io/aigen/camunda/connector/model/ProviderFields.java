package io.aigen.camunda.connector.model;

/** Texts shared by the request records' template annotations. */
final class ProviderFields {

  static final String PROVIDER = "The provider's async API. 'Custom poll spec' describes any other API.";
  static final String API_KEY = "Reference a secret, e.g. <code>{{secrets.FAL_KEY}}</code>. It is never written to variables or logs.";
  static final String MODEL =
      "The provider's model id, e.g. <code>fal-ai/flux/dev</code>, <code>black-forest-labs/flux-schnell</code> (Replicate), <code>gen4_turbo</code> (Runway), <code>ray-2</code> (Luma). Leave empty for ElevenLabs dubbing and Stability video.";
  static final String INPUT = "The model's input as a FEEL context or JSON, e.g. <code>={prompt: \"a cat on a skateboard\"}</code>";
  static final String OPTIONS =
      "Provider options as a FEEL context: <code>endpoint</code> (Runway task, Luma route), <code>wait</code> and <code>cancelAfter</code> (Replicate), <code>tags</code> (DigitalOcean). See the README.";
  static final String CUSTOM_SPEC =
      "The API described as JSON: AsyncQueue's <code>pollConfig</code> as-is, or a full spec with <code>submit</code> and <code>cancel</code>. See docs/poll-spec.md.";
  static final String SUBMIT_URL = "Where jobs are submitted (AsyncQueue's <code>targetUrl</code>), e.g. <code>https://api.example.com/v1/jobs</code>. Placeholders such as <code>{model}</code> are allowed.";

  static final String KEEP_OUTPUTS =
      "Copy every output into the runtime's result store before the task completes, without credentials, from the provider's host or CDN. "
          + "<code>outputs</code> then holds the copies' URLs and <code>originalOutputs</code> the provider's. An output that cannot be copied keeps the provider's URL and a warning says why.";

  private ProviderFields() {}
}
