package io.aigen.camunda.runtime.web;

import io.aigen.camunda.connector.store.LocalResultStore;
import io.aigen.camunda.connector.store.ResultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /results/{name}}: the files the local result store keeps (videos, dubbed audio). */
@RestController
public class ResultFileController {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final ResultStore store;

  public ResultFileController(ResultStore store) {
    this.store = store;
  }

  @GetMapping("/results/{name}")
  public ResponseEntity<Resource> file(@PathVariable String name) throws IOException {
    if (!(store instanceof LocalResultStore local) || !SAFE_NAME.matcher(name).matches() || name.startsWith(".")) {
      return ResponseEntity.notFound().build();
    }
    Path file = local.directory().resolve(name);
    if (!Files.isRegularFile(file)) {
      return ResponseEntity.notFound().build();
    }
    MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
    return ResponseEntity.ok().contentType(type).contentLength(Files.size(file)).body(new FileSystemResource(file));
  }
}
