package io.aigen.camunda.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * Turns a JSON object into a {@code multipart/form-data} body: each field becomes a text part,
 * except the file fields, whose values are {@code data:} URIs or http(s) URLs of the file.
 * Downloads go out without credentials.
 */
public final class MultipartForm {

  /** The encoded body. */
  public record Encoded(byte[] body, String contentType) {}

  /** A file field whose value is neither a data URI nor a reachable URL. */
  public static final class BadFile extends RuntimeException {
    private final String field;

    BadFile(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final ProviderHttp http;

  public MultipartForm(ProviderHttp http) {
    this.http = http;
  }

  public Encoded encode(JsonNode fields, List<String> fileFields) {
    MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM);
    for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) fields::fields) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value == null || value.isNull()) {
        continue;
      }
      if (fileFields.contains(name)) {
        FileContent file = file(name, value);
        form.addFormDataPart(name, file.fileName(), RequestBody.create(file.bytes(), MediaType.parse(file.contentType())));
      } else if (value.isArray()) {
        value.forEach(item -> form.addFormDataPart(name, text(item)));
      } else {
        form.addFormDataPart(name, text(value));
      }
    }
    MultipartBody body = form.build();
    try (Buffer buffer = new Buffer()) {
      body.writeTo(buffer);
      return new Encoded(buffer.readByteArray(), body.contentType().toString());
    } catch (IOException e) {
      throw new IllegalStateException("writing a form to memory failed", e);
    }
  }

  private record FileContent(String fileName, String contentType, byte[] bytes) {}

  private FileContent file(String field, JsonNode value) {
    String text = value.asText();
    if (text.startsWith("data:")) {
      int comma = text.indexOf(',');
      String meta = comma < 0 ? "" : text.substring(5, comma);
      if (comma < 0 || !meta.endsWith(";base64")) {
        throw new BadFile(field, "the data URI must be base64, e.g. data:image/png;base64,iVBOR…");
      }
      String type = meta.substring(0, meta.length() - ";base64".length());
      try {
        byte[] bytes = Base64.getDecoder().decode(text.substring(comma + 1).trim());
        return new FileContent(field + extension(type), type.isEmpty() ? "application/octet-stream" : type, bytes);
      } catch (IllegalArgumentException e) {
        throw new BadFile(field, "the data URI's base64 is invalid: " + e.getMessage());
      }
    }
    if (text.startsWith("https://") || text.startsWith("http://")) {
      HttpReply reply;
      try {
        reply = http.send(OutgoingRequest.get(text, field));
      } catch (IOException | IllegalArgumentException e) {
        throw new BadFile(field, "downloading " + text + " failed: " + e.getMessage());
      }
      if (!reply.ok()) {
        throw new BadFile(field, "downloading " + text + " answered HTTP " + reply.code());
      }
      String type = reply.contentType() == null ? "application/octet-stream" : reply.contentType();
      String name = text.replaceAll("[?#].*$", "");
      name = name.substring(name.lastIndexOf('/') + 1);
      return new FileContent(name.isBlank() ? field + extension(type) : name, type, reply.body());
    }
    throw new BadFile(field, "give the file as an https URL or a data URI (data:image/png;base64,…), not '" + abbreviate(text) + "'");
  }

  private static String text(JsonNode value) {
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String extension(String contentType) {
    String subtype = contentType.contains("/") ? contentType.substring(contentType.indexOf('/') + 1) : "bin";
    return "." + subtype.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
