package dev.mercato.dashboard;

import dev.mercato.auth.ApiKey;
import dev.mercato.auth.ApiKeyService;
import dev.mercato.auth.oauth.OAuthClient;
import dev.mercato.auth.oauth.OAuthClientService;
import dev.mercato.logs.AccessLogEntry;
import dev.mercato.logs.AccessLogService;
import dev.mercato.logs.LogQuery;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The usage page: the access log as a filtered, paged table, and the traffic of the last 24 hours and 7 days. The
 * admin sees every request; a developer only those made with their own API keys and OAuth clients, whatever scopes
 * they hold. The log knows credentials by id only, so this page tells it which ids the caller may see.
 */
@Hidden
@Controller
@DashboardPage
class UsageController {

    /** Credentials of each kind the page lists (and a developer's requests it covers); newest first beyond that. */
    static final int MAX_CREDENTIALS = 1_000;

    private final AccessLogService logs;
    private final ApiKeyService keys;
    private final OAuthClientService clients;
    private final Clock clock;

    UsageController(AccessLogService logs, ApiKeyService keys, OAuthClientService clients, Clock clock) {
        this.logs = logs;
        this.keys = keys;
        this.clients = clients;
        this.clock = clock;
    }

    @GetMapping(UsageFilters.PAGE)
    String usage(
            @AuthenticationPrincipal Caller caller,
            @ModelAttribute("filters") UsageFilters filters,
            Model model,
            HttpServletResponse response) {
        Map<String, String> apiKeys = names(all(page -> keys.list(caller, page)), ApiKey::id, ApiKey::name);
        Map<String, String> oauthClients =
                names(all(page -> clients.list(caller, page)), OAuthClient::clientId, OAuthClient::name);
        Map<String, String> credentialNames = new LinkedHashMap<>(apiKeys);
        credentialNames.putAll(oauthClients);
        model.addAttribute("apiKeys", apiKeys);
        model.addAttribute("oauthClients", oauthClients);
        model.addAttribute("credentialNames", credentialNames);
        model.addAttribute("levels", LogQuery.LEVELS);
        Set<String> visible = caller.has(Scope.ADMIN) ? null : credentialNames.keySet();
        try {
            LogQuery query = filters.query(visible);
            Page<AccessLogEntry> entries = logs.find(caller, query, filters.pageParams());
            model.addAttribute("entries", entries.items());
            model.addAttribute("paging", filters.paging(entries.total()));
            charts(caller, new LogQuery(null, null, null, null, null, query.credentialIds()), model);
        } catch (InvalidRequestException problem) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("problem", problem.getMessage());
        }
        return "dashboard/usage";
    }

    /** The last 24 hours and the last 7 days (168 hours), by the hour (UTC), each up to now. */
    private void charts(Caller caller, LogQuery credentials, Model model) {
        Instant now = clock.instant();
        model.addAttribute(
                "lastDay",
                logs.traffic(
                        caller,
                        credentials.between(now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS), now),
                        ChronoUnit.HOURS));
        model.addAttribute(
                "lastWeek",
                logs.traffic(
                        caller,
                        credentials.between(now.truncatedTo(ChronoUnit.HOURS).minus(167, ChronoUnit.HOURS), now),
                        ChronoUnit.HOURS));
    }

    /** Every item of a list the caller may see, up to {@link #MAX_CREDENTIALS}, newest first. */
    private static <T> List<T> all(Function<PageParams, Page<T>> list) {
        List<T> all = new ArrayList<>();
        for (int offset = 0; offset < MAX_CREDENTIALS; offset += PageParams.MAX_LIMIT) {
            Page<T> page = list.apply(PageParams.of(PageParams.MAX_LIMIT, offset));
            all.addAll(page.items());
            if (page.items().size() < PageParams.MAX_LIMIT || all.size() >= page.total()) {
                break;
            }
        }
        return all;
    }

    private static <T> Map<String, String> names(List<T> items, Function<T, String> id, Function<T, String> name) {
        Map<String, String> names = new LinkedHashMap<>();
        items.forEach(item -> names.put(id.apply(item), name.apply(item)));
        return names;
    }
}
