package io.aigen.camunda.connector.callback;

import io.aigen.camunda.connector.spec.Json;
import io.aigen.camunda.connector.spec.SpecReader;
import io.aigen.camunda.connector.spec.Verification;

/** A callback's verification as a spec declares it, read the way the runtime reads specs. */
final class SpecReaderVerification {

  private SpecReaderVerification() {}

  /** @param verify the spec's {@code callback.verify}, in single quotes */
  static Verification read(String verify) {
    String spec =
        "{'targetUrl':'https://api.example.com/v1/jobs','pollConfig':{'urlTemplate':'https://api.example.com/v1/jobs/{id}','statusPath':'status','doneValues':['done']},"
            + "'callback':{'verify':" + verify + ",'jobIdPath':'id','statusPath':'status','doneValues':['done']}}";
    try {
      return SpecReader.read(Json.mapper().readTree(spec.replace('\'', '"')), "custom").callback().verify();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
