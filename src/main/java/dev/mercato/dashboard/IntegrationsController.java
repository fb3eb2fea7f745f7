package dev.mercato.dashboard;

import dev.mercato.integrations.Integration;
import dev.mercato.integrations.IntegrationService;
import dev.mercato.integrations.IntegrationTester;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.InvalidRequestException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The integrations page: each provider's state and the settings it runs with (stored over the API, else server
 * configuration), a secret only as set or not; and a test of one, whose outcome the page shows and the integration
 * records. Seen with {@code integrations:read}, tested with {@code integrations:write}, as over the API.
 */
@Hidden
@Controller
@DashboardPage
@RequestMapping(IntegrationsController.PATH)
class IntegrationsController {

    static final String PATH = "/dashboard/integrations";

    /** The suffix of the API's {@code <name>_set} flag that stands for a secret. */
    private static final String SECRET_FLAG = "_set";

    private final IntegrationService integrations;

    IntegrationsController(IntegrationService integrations) {
        this.integrations = integrations;
    }

    /** A setting as the page shows it: a secret as whether it is set, never its value. */
    record Setting(String name, String value, boolean secret) {}

    /** An integration with its settings ready to show. */
    record Row(Integration integration, List<Setting> settings) {}

    @GetMapping
    String list(@AuthenticationPrincipal Caller caller, Model model) {
        return page(caller, null, null, null, model);
    }

    @PostMapping("/{id}/test")
    String test(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) String target,
            Model model,
            RedirectAttributes flash,
            HttpServletResponse response) {
        DashboardPages.require(caller, Scope.INTEGRATIONS_WRITE);
        Integration integration = integrations.get(caller, id);
        try {
            IntegrationTester.Outcome outcome = integrations.test(caller, id, target);
            flash.addFlashAttribute("tested", id);
            flash.addFlashAttribute(
                    "outcome",
                    outcome.ok()
                            ? "The test of " + integration.name() + " passed."
                            : "The test of " + integration.name() + " failed: " + outcome.error());
            flash.addFlashAttribute("passed", outcome.ok());
            return "redirect:" + PATH + "#integration-" + id;
        } catch (InvalidRequestException problem) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(caller, id, target, problem.getMessage(), model);
        }
    }

    /** The page; {@code problemOf} names the integration whose test form {@code problem} is about. */
    private String page(Caller caller, String problemOf, String target, String problem, Model model) {
        DashboardPages.require(caller, Scope.INTEGRATIONS_READ);
        model.addAttribute(
                "integrations",
                integrations.list(caller).stream()
                        .map(integration -> new Row(integration, settings(integration.settings())))
                        .toList());
        model.addAttribute("mayTest", caller.has(Scope.INTEGRATIONS_WRITE));
        model.addAttribute("problemOf", problemOf);
        model.addAttribute("problem", problem);
        model.addAttribute("target", target);
        return "dashboard/integrations";
    }

    private static List<Setting> settings(Map<String, Object> settings) {
        return settings.entrySet().stream()
                .map(setting -> setting.getKey().endsWith(SECRET_FLAG)
                        ? new Setting(
                                setting.getKey().substring(0, setting.getKey().length() - SECRET_FLAG.length()),
                                Boolean.TRUE.equals(setting.getValue()) ? "set (not shown)" : "not set",
                                true)
                        : new Setting(setting.getKey(), shown(setting.getValue()), false))
                .toList();
    }

    private static String shown(Object value) {
        return value instanceof Boolean flag ? (flag ? "yes" : "no") : String.valueOf(value);
    }
}
