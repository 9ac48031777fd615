package io.aigen.camunda.connector.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.regex.Pattern;

/**
 * The connector's one JSON configuration, for variables, provider answers and presets alike:
 * ISO-8601 times, unknown fields ignored. The mapper is shared; nothing may reconfigure it.
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * What is wrong with a piece of JSON, in words a modeler can act on: the parser's message
   * without its source locations ({@code [Source: REDACTED …]}) and Java type names.
   */
  public static String problem(JsonProcessingException e) {
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "expected " + kindOf(mismatch.getTargetType());
    }
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    message = START_MARKER.matcher(message).replaceAll("");
    message = SOURCE.matcher(message).replaceAll("");
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
    return message.strip();
  }

  private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)");
  private static final Pattern SOURCE = Pattern.compile("\\s*\\[Source:[^\\]]*\\]");

  private static String kindOf(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
      return "a text";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "an object";
  }
}
