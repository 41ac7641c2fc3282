package io.herald.management;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Binds {@link ManagementProperties} in the application context, so that a malformed
 * operator token hash stops the service at start; {@link ManagementAccessConfiguration}
 * enforces it on the management port.
 */
@AutoConfiguration
@EnableConfigurationProperties(ManagementProperties.class)
public class ManagementAutoConfiguration {

}
