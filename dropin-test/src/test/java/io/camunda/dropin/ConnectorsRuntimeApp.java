package io.camunda.dropin;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Camunda's connectors runtime as a user builds it: a Spring Boot application with
 * {@code spring-boot-starter-camunda-connectors}. Nothing of ours but the connector jar on the class
 * path; its auto-configuration does the rest.
 */
@SpringBootApplication
public class ConnectorsRuntimeApp {}
