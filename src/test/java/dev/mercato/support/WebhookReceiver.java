package dev.mercato.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A local HTTP server (WireMock on 127.0.0.1) that receives the webhooks the tests subscribe, started once per test
 * run like {@link TestProviders}. The shared test server allows private targets, so it delivers here; tests keep
 * apart by subscribing paths of their own.
 */
public final class WebhookReceiver {

    public static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    private WebhookReceiver() {}
}
