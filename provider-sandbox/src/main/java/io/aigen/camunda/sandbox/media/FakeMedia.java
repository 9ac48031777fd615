package io.aigen.camunda.sandbox.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small stand-ins for generated video and audio: valid container headers (so a content sniffer
 * says MP4 or MP3) followed by the text they were made from, so tests can tell jobs apart.
 */
public final class FakeMedia {

  private FakeMedia() {}

  /** An ISO-BMFF {@code ftyp} box (brand {@code isom}) followed by a {@code free} box holding the text. */
  public static byte[] mp4(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    box(out, "ftyp", "isom\0\0\2\0isommp41".getBytes(StandardCharsets.ISO_8859_1));
    box(out, "free", payload);
    return out.toByteArray();
  }

  /** An {@code ID3} tag header followed by the text. */
  public static byte[] mp3(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0});
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void box(ByteArrayOutputStream out, String type, byte[] content) {
    int size = 8 + content.length;
    out.write(size >>> 24);
    out.write(size >>> 16);
    out.write(size >>> 8);
    out.write(size);
    out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
  }
}
