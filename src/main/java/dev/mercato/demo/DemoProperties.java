package dev.mercato.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo store ({@code mercato.demo-data}).
 *
 * @param demoData load a small demo catalog (12 products) and 4 users into an empty catalog at start
 */
@ConfigurationProperties("mercato")
record DemoProperties(@DefaultValue("false") boolean demoData) {}
