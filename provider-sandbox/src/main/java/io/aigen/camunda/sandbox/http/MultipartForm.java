package io.aigen.camunda.sandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578): text fields and file parts, in order. Minimal on
 * purpose: parts are read as binary, their own {@code charset} and {@code filename*} are ignored
 * and text is decoded as UTF-8.
 */
public final class MultipartForm {

  static final String MEDIA_TYPE = "multipart/form-data";

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  /**
   * One part of the form.
   *
   * @param filename {@code null} for a plain field, the file name (possibly empty) for a file part
   * @param contentType the part's {@code Content-Type}; {@code null} when it sent none
   */
  public record Part(String name, String filename, String contentType, byte[] content) {
    boolean isFile() {
      return filename != null;
    }

    String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  /** The body is not a multipart form, or not a well-formed one. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  private final List<Part> parts;

  private MultipartForm(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /** Whether a {@code Content-Type} header value announces a multipart form. */
  public static boolean isMultipart(String contentType) {
    return contentType != null
        && contentType.split(";", 2)[0].trim().equalsIgnoreCase(MEDIA_TYPE);
  }

  public static MultipartForm parse(String contentType, byte[] body) throws Malformed {
    if (!isMultipart(contentType)) {
      throw new Malformed("Content-Type must be " + MEDIA_TYPE);
    }
    String boundary = parameters(afterValue(contentType)).get("boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new Malformed("Content-Type has no boundary parameter");
    }
    return new MultipartForm(parts(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** The first part with this name, file or field. */
  Optional<Part> part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The first file part with this name. */
  public Optional<Part> file(String name) {
    return part(name).filter(Part::isFile);
  }

  /** The value of the first plain field with this name; blank values count as absent, as forms send empty inputs. */
  public Optional<String> text(String name) {
    return part(name).filter(p -> !p.isFile()).map(Part::text).filter(value -> !value.isBlank());
  }

  /**
   * The test knobs of a multipart submit: the {@code sandbox} field holds the same JSON object that
   * JSON submits carry in their {@code sandbox} field.
   */
  public SandboxDirectives directives(String prompt) throws SandboxDirectives.InvalidDirective {
    ObjectNode input = Json.object();
    Optional<String> knobs = text(SandboxDirectives.FIELD);
    if (knobs.isPresent()) {
      try {
        input.set(SandboxDirectives.FIELD, Json.parse(knobs.get().getBytes(StandardCharsets.UTF_8)));
      } catch (JsonProcessingException e) {
        throw new SandboxDirectives.InvalidDirective(
            SandboxDirectives.FIELD, "must be a JSON object: " + e.getOriginalMessage());
      }
    }
    return SandboxDirectives.from(input, prompt);
  }

  private static List<Part> parts(byte[] body, byte[] delimiter) throws Malformed {
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new Malformed("the body holds no part delimited by the boundary");
    }
    byte[] nextDelimiter = concat(CRLF, delimiter);
    List<Part> parts = new ArrayList<>();
    while (true) {
      int afterDelimiter = at + delimiter.length;
      if (startsWith(body, afterDelimiter, new byte[] {'-', '-'})) {
        return parts;
      }
      int delimiterLineEnd = indexOf(body, CRLF, afterDelimiter);
      int headersEnd = delimiterLineEnd < 0 ? -1 : indexOf(body, HEADERS_END, delimiterLineEnd);
      if (headersEnd < 0) {
        throw new Malformed("a part's headers are not terminated by an empty line");
      }
      int headersStart = Math.min(delimiterLineEnd + CRLF.length, headersEnd);
      int contentStart = headersEnd + HEADERS_END.length;
      int contentEnd = indexOf(body, nextDelimiter, contentStart);
      if (contentEnd < 0) {
        throw new Malformed("the body ends without the closing boundary");
      }
      String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      parts.add(part(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
      at = contentEnd + CRLF.length;
    }
  }

  private static Part part(String headerBlock, byte[] content) throws Malformed {
    String disposition = null;
    String contentType = null;
    for (String line : headerBlock.split("\r\n")) {
      String[] header = line.split(":", 2);
      if (header.length < 2) {
        continue;
      }
      String name = header[0].trim().toLowerCase(Locale.ROOT);
      if (name.equals("content-disposition")) {
        disposition = header[1].trim();
      } else if (name.equals("content-type")) {
        contentType = header[1].trim();
      }
    }
    if (disposition == null || !disposition.split(";", 2)[0].trim().equalsIgnoreCase("form-data")) {
      throw new Malformed("a part has no 'Content-Disposition: form-data' header");
    }
    Map<String, String> parameters = parameters(afterValue(disposition));
    String name = parameters.get("name");
    if (name == null) {
      throw new Malformed("a part's Content-Disposition has no name");
    }
    return new Part(name, parameters.get("filename"), contentType, content);
  }

  /** The parameters of a header value: {@code form-data; name="a"} → {@code  name="a"}. */
  private static String afterValue(String headerValue) {
    int semicolon = headerValue.indexOf(';');
    return semicolon < 0 ? "" : headerValue.substring(semicolon + 1);
  }

  /** {@code a=1; b="x;y"} → {a=1, b=x;y}; names lower-cased, quotes and backslash escapes removed. */
  private static Map<String, String> parameters(String text) {
    Map<String, String> parameters = new LinkedHashMap<>();
    int i = 0;
    while (i < text.length()) {
      int equals = text.indexOf('=', i);
      int semicolon = text.indexOf(';', i);
      if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
        i = semicolon < 0 ? text.length() : semicolon + 1; // a parameter without a value
        continue;
      }
      String name = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
      StringBuilder value = new StringBuilder();
      i = equals + 1;
      while (i < text.length() && text.charAt(i) == ' ') {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '"') {
        for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          value.append(text.charAt(i));
        }
        int end = text.indexOf(';', i);
        i = end < 0 ? text.length() : end + 1;
      } else {
        int end = semicolon < 0 ? text.length() : semicolon;
        value.append(text.substring(i, end).trim());
        i = end + 1;
      }
      parameters.putIfAbsent(name, value.toString());
    }
    return parameters;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      if (startsWith(haystack, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    if (offset < 0 || offset + prefix.length > bytes.length) {
      return false;
    }
    return Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
