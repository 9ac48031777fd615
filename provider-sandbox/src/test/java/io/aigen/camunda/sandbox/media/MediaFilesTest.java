package io.aigen.camunda.sandbox.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.sandbox.ProviderSandbox;
import io.aigen.camunda.sandbox.SandboxHttp;
import io.aigen.camunda.sandbox.SandboxHttp.Reply;
import io.aigen.camunda.sandbox.SandboxOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MediaFilesTest {

  private ProviderSandbox sandbox;
  private final SandboxHttp fal = new SandboxHttp("any-key");

  @BeforeEach
  void start() {
    sandbox = ProviderSandbox.start(SandboxOptions.defaults().withDefaultJobDuration(Duration.ZERO));
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private JsonNode firstImage(String input) {
    JsonNode submitted = fal.post(sandbox.falBaseUrl() + "/fal-ai/flux/dev", input).json();
    Reply result = fal.get(submitted.get("response_url").asText());
    assertThat(result.status()).isEqualTo(200);
    return result.json().get("images").get(0);
  }

  private static BufferedImage download(String url) throws IOException {
    HttpResponse<byte[]> response =
        new SandboxHttp(null).send(HttpRequest.newBuilder(URI.create(url)), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    return ImageIO.read(new ByteArrayInputStream(response.body()));
  }

  @Test
  void servesADecodablePngOfTheRequestedPresetSizeWithoutAuth() throws IOException {
    JsonNode image = firstImage("{\"prompt\":\"a lighthouse at dusk\",\"image_size\":\"square_hd\"}");

    BufferedImage png = download(image.get("url").asText());
    assertThat(png.getWidth()).isEqualTo(1024);
    assertThat(png.getHeight()).isEqualTo(1024);
  }

  @Test
  void customSizesAndTheDefaultSizeAreHonoured() throws IOException {
    BufferedImage custom = download(
        firstImage("{\"prompt\":\"x\",\"image_size\":{\"width\":300,\"height\":200}}").get("url").asText());
    BufferedImage byDefault = download(firstImage("{\"prompt\":\"y\"}").get("url").asText());

    assertThat(custom.getWidth()).isEqualTo(300);
    assertThat(custom.getHeight()).isEqualTo(200);
    assertThat(byDefault.getWidth()).isEqualTo(512);
    assertThat(byDefault.getHeight()).isEqualTo(512);
  }

  @Test
  void backgroundColourFollowsThePrompt() throws IOException {
    int first = download(firstImage("{\"prompt\":\"red\"}").get("url").asText()).getRGB(1, 1);
    int again = download(firstImage("{\"prompt\":\"red\"}").get("url").asText()).getRGB(1, 1);
    int other = download(firstImage("{\"prompt\":\"blue sky\"}").get("url").asText()).getRGB(1, 1);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void unknownFilesAreNotFound() {
    assertThat(fal.get(sandbox.baseUrl() + "/files/nope-0.png").status()).isEqualTo(404);
  }
}
