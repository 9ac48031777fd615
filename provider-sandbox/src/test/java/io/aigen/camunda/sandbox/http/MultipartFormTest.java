package io.aigen.camunda.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigen.camunda.sandbox.MultipartBody;
import io.aigen.camunda.sandbox.jobs.SandboxDirectives;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsFieldsAndFilePartsWithBinaryContent() throws Exception {
    byte[] binary = {0, '\r', '\n', '-', '-', 'x', (byte) 0xff, '\r', '\n'};
    MultipartBody body = new MultipartBody()
        .field("target_lang", "es")
        .file("file", "clip.mp4", "video/mp4", binary)
        .field("name", "Grüße");

    MultipartForm form = MultipartForm.parse(body.contentType(), body.bytes());

    assertThat(form.text("target_lang")).hasValue("es");
    assertThat(form.text("name")).hasValue("Grüße");
    MultipartForm.Part file = form.file("file").orElseThrow();
    assertThat(file.filename()).isEqualTo("clip.mp4");
    assertThat(file.contentType()).isEqualTo("video/mp4");
    assertThat(file.content()).isEqualTo(binary);
    assertThat(form.text("file")).as("a file part is not a text field").isEmpty();
    assertThat(form.file("target_lang")).as("a text field is not a file").isEmpty();
    assertThat(form.text("missing")).isEmpty();
  }

  @Test
  void acceptsAQuotedBoundaryAPreambleAndPartsWithoutContentType() throws Exception {
    String body = "preamble to ignore\r\n--b;1\r\n"
        + "content-disposition: form-data; name=\"file\"; filename=\"a \\\"q\\\".png\"\r\n\r\nPNG\r\n"
        + "--b;1\r\nContent-Disposition: form-data; name=blank\r\n\r\n  \r\n"
        + "--b;1--\r\nepilogue";

    MultipartForm form = MultipartForm.parse("Multipart/Form-Data; charset=utf-8; boundary=\"b;1\"", utf8(body));

    MultipartForm.Part file = form.file("file").orElseThrow();
    assertThat(file.filename()).isEqualTo("a \"q\".png");
    assertThat(file.contentType()).isNull();
    assertThat(file.text()).isEqualTo("PNG");
    assertThat(form.part("blank")).isPresent();
    assertThat(form.text("blank")).as("blank values count as absent").isEmpty();
  }

  @Test
  void readsTheSandboxFieldAsDirectives() throws Exception {
    MultipartBody body = new MultipartBody().field("sandbox", "{\"durationMs\":0,\"fail\":\"boom\"}");

    SandboxDirectives directives = MultipartForm.parse(body.contentType(), body.bytes()).directives("");

    assertThat(directives.durationMs()).isZero();
    assertThat(directives.fail()).isEqualTo("boom");
    MultipartBody notJson = new MultipartBody().field("sandbox", "{durationMs");
    assertThatThrownBy(() -> MultipartForm.parse(notJson.contentType(), notJson.bytes()).directives(""))
        .isInstanceOf(SandboxDirectives.InvalidDirective.class)
        .hasMessageStartingWith("must be a JSON object");
    MultipartBody noKnobs = new MultipartBody().field("name", "x");
    assertThat(MultipartForm.parse(noKnobs.contentType(), noKnobs.bytes()).directives("a [fail] b").fail())
        .contains("[fail]");
  }

  @Test
  void rejectsWhatIsNotAWellFormedForm() {
    String part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
    assertThatThrownBy(() -> MultipartForm.parse("application/json", utf8("{}")))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("multipart/form-data");
    assertThatThrownBy(() -> MultipartForm.parse(null, utf8(part)))
        .isInstanceOf(MultipartForm.Malformed.class);
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data", utf8(part + "--b--")))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("boundary");
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data; boundary=b", utf8(part)))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("closing boundary");
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data; boundary=b", utf8("no parts")))
        .isInstanceOf(MultipartForm.Malformed.class);
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data; boundary=b",
        utf8("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--")))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("no name");
    assertThatThrownBy(() -> MultipartForm.parse("multipart/form-data; boundary=b",
        utf8("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--")))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("Content-Disposition");
  }
}
