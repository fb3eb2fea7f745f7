package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.PageParams;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's page of developers: give a user the role with scopes, change the scopes, take the role away. */
@Hidden
@Controller
@DashboardPage
@RequestMapping("/dashboard/developers")
class DevelopersController {

    private final DeveloperService developers;
    private final UserService users;

    DevelopersController(DeveloperService developers, UserService users) {
        this.developers = developers;
        this.users = users;
    }

    /** The grant form's fields, as posted. */
    record GrantForm(String username, List<String> scopes) {}

    @GetMapping
    String list(@AuthenticationPrincipal Caller caller, Model model) {
        return page(caller, new GrantForm("", List.of()), null, model);
    }

    @PostMapping
    String grant(
            @AuthenticationPrincipal Caller caller,
            @ModelAttribute GrantForm form,
            Model model,
            RedirectAttributes flash,
            HttpServletResponse response) {
        try {
            String username = form.username() == null ? "" : form.username().trim();
            User user = users.findByUsername(Caller.SYSTEM, username)
                    .orElseThrow(() -> FormFields.invalid("username", "There is no user '" + username + "'."));
            Developer developer = developers.grant(caller, user.id(), FormFields.scopes(form.scopes()));
            flash.addFlashAttribute(
                    "done",
                    developer.username() + " is a developer with the scopes "
                            + String.join(
                                    " ",
                                    developer.scopes().stream()
                                            .map(Scope::value)
                                            .toList()) + ".");
            return "redirect:/dashboard/developers";
        } catch (DomainException problem) {
            response.setStatus(DashboardPages.statusOf(problem).value());
            return page(caller, form, problem.getMessage(), model);
        }
    }

    @PostMapping("/{userId}/revoke")
    String revoke(@AuthenticationPrincipal Caller caller, @PathVariable String userId, RedirectAttributes flash) {
        Developer developer = developers.get(caller, userId);
        developers.revoke(caller, userId);
        flash.addFlashAttribute(
                "done", developer.username() + " is no longer a developer; their credentials keep working.");
        return "redirect:/dashboard/developers";
    }

    private String page(Caller caller, GrantForm form, String problem, Model model) {
        model.addAttribute(
                "developers",
                developers.list(caller, PageParams.of(PageParams.MAX_LIMIT, 0)).items());
        model.addAttribute("form", form);
        model.addAttribute("problem", problem);
        model.addAttribute(
                "grantable",
                Arrays.stream(Scope.values())
                        .filter(scope -> scope != Scope.ADMIN)
                        .toList());
        return "dashboard/developers";
    }
}
