package io.latchkey.examples.spring;

import io.latchkey.Secret;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The partner API's settings: its token is a {@link Secret}, bound from {@code partner.token=
 * ref+aws:notes/partner#token} and masked wherever it is printed.
 *
 * @param url the partner's base URL
 * @param token the API token
 */
@ConfigurationProperties("partner")
public record PartnerProperties(URI url, Secret token) {}
