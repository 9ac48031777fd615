package io.aigen.camunda.connector.http;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends requests to providers through one shared, pooled OkHttp client with explicit timeouts.
 * It knows nothing of credentials: {@link ProviderEndpoint} adds them.
 */
public final class ProviderHttp {

  /** Bodies larger than this are refused rather than loaded into memory. */
  public static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  private final OkHttpClient client;
  /**
   * The same client without OkHttp's silent retry after a broken connection: a submit that reached
   * the provider before the connection broke must not be sent again behind the caller's back (the
   * caller looks the job up first, where the provider allows it).
   */
  private final OkHttpClient once;

  public ProviderHttp(OkHttpClient client) {
    this.client = client;
    this.once = client.newBuilder().retryOnConnectionFailure(false).build();
  }

  public static ProviderHttp withDefaults() {
    return withReadTimeout(DEFAULT_READ_TIMEOUT);
  }

  /** @param readTimeout how long a provider may take to answer (and between bytes of an answer) */
  public static ProviderHttp withReadTimeout(Duration readTimeout) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(128);
    return new ProviderHttp(
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(readTimeout)
            .writeTimeout(Duration.ofSeconds(60))
            .callTimeout(readTimeout.multipliedBy(2))
            // as many idle connections as jobs are worked at once, so bursts of polls reuse them
            .connectionPool(new ConnectionPool(128, 5, TimeUnit.MINUTES))
            .dispatcher(dispatcher)
            .followRedirects(false)
            .retryOnConnectionFailure(true)
            .build());
  }

  /**
   * Sends the request.
   *
   * @throws IOException when the provider cannot be reached or the body is too large
   */
  public HttpReply send(OutgoingRequest request) throws IOException {
    RequestBody body = null;
    if (request.body() != null) {
      MediaType type = request.contentType() == null ? null : MediaType.get(request.contentType());
      body = RequestBody.create(request.body(), type);
    } else if (requiresBody(request.method())) {
      body = RequestBody.create(new byte[0], null);
    }
    Request.Builder builder = new Request.Builder().url(request.url()).method(request.method(), body);
    request.headers().forEach(builder::header);
    OkHttpClient sender = request.field().equals("submit") ? once : client;
    try (Response response = sender.newCall(builder.build()).execute()) {
      Map<String, String> headers = new HashMap<>();
      response.headers().names().forEach(name -> headers.put(name.toLowerCase(Locale.ROOT), response.header(name)));
      ResponseBody responseBody = response.body();
      byte[] bytes = new byte[0];
      String contentType = null;
      if (responseBody != null) {
        if (responseBody.contentLength() > MAX_BODY_BYTES) {
          throw new IOException("answer of " + responseBody.contentLength() + " bytes exceeds the limit of " + MAX_BODY_BYTES);
        }
        bytes = responseBody.bytes();
        contentType = responseBody.contentType() == null ? null : responseBody.contentType().toString();
      }
      return new HttpReply(response.code(), headers, bytes, contentType);
    }
  }

  /** A media file fetched by {@link #download}. */
  public record Download(int code, String contentType, String location, byte[] body) {}

  /** The answer is longer than the limit {@link #download} was given; nothing of it is kept. */
  public static final class TooLarge extends IOException {
    public TooLarge(long limit) {
      super("larger than " + limit + " bytes");
    }
  }

  /**
   * GETs a media file with no headers but {@code Accept: *}{@code /*}: no credentials, nothing
   * that identifies the caller. Reads at most {@code maxBytes}, also when the answer does not say
   * its length up front. A redirect is returned as it is ({@code location}), for the caller to
   * check its host.
   *
   * @throws TooLarge when the body is longer than {@code maxBytes}
   * @throws IOException when the host cannot be reached
   */
  public Download download(String url, long maxBytes) throws IOException {
    Request request = new Request.Builder().url(url).get().header("Accept", "*/*").build();
    try (Response response = client.newCall(request).execute()) {
      ResponseBody responseBody = response.body();
      if (!response.isSuccessful() || responseBody == null) {
        return new Download(response.code(), null, response.header("Location"), new byte[0]);
      }
      if (responseBody.contentLength() > maxBytes) {
        throw new TooLarge(maxBytes);
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      try (java.io.InputStream in = responseBody.byteStream()) {
        for (int read; (read = in.read(buffer)) != -1; ) {
          if (out.size() + (long) read > maxBytes) {
            throw new TooLarge(maxBytes);
          }
          out.write(buffer, 0, read);
        }
      }
      String contentType = responseBody.contentType() == null ? null : responseBody.contentType().toString();
      return new Download(response.code(), contentType, null, out.toByteArray());
    }
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }
}
