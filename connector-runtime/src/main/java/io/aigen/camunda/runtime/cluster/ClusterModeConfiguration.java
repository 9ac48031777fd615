package io.aigen.camunda.runtime.cluster;

import io.camunda.client.CamundaClient;
import io.camunda.connector.runtime.inbound.search.SearchQueryClient;
import io.camunda.connector.runtime.inbound.search.SearchQueryClientImpl;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Beans used against a cluster (embedded mode off). */
@Configuration
@ConditionalOnProperty(name = "aigen.embedded.active", havingValue = "false", matchIfMissing = true)
public class ClusterModeConfiguration {

  /** Camunda's own process search (same page size), reporting its failures once ({@link ReportedProcessSearch}). */
  @Bean
  @Primary
  @ConditionalOnProperty(prefix = "camunda.connector.polling", name = "enabled", havingValue = "true", matchIfMissing = true)
  public SearchQueryClient reportedProcessSearch(
      CamundaClient client,
      @Value("${camunda.connector.process-definition-search.page-size:200}") int pageSize,
      @Value("${camunda.client.rest-address:(the default REST address)}") String restAddress) {
    return new ReportedProcessSearch(new SearchQueryClientImpl(client, pageSize), restAddress);
  }
}
