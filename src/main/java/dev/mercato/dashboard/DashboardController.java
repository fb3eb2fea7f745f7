package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.SignInGuard;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;

/** The dashboard's pages. */
@Hidden
@Controller
@DashboardPage
class DashboardController {

    @GetMapping(DashboardSecurityConfiguration.LOGIN)
    String signIn(
            @RequestParam(required = false) String error,
            @RequestParam(name = "signed-out", required = false) String signedOut,
            @SessionAttribute(name = WebAttributes.AUTHENTICATION_EXCEPTION, required = false)
                    AuthenticationException failure,
            Model model) {
        if (error != null) {
            model.addAttribute("problem", failure == null ? SignInGuard.FAILED : failure.getMessage());
        }
        model.addAttribute("signedOut", signedOut != null);
        return "dashboard/login";
    }

    /** A request the security chain refused (forwarded here with 403): said in words, on a page of the dashboard. */
    @RequestMapping(DashboardSecurityConfiguration.FORBIDDEN)
    String forbidden(HttpServletRequest request, Model model, HttpServletResponse response) {
        String message = request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException
                ? "This form was not sent from its page, or the page is too old (its security token is missing or "
                        + "wrong). Go back, reload the page and try again."
                : "Only the admin may open this page.";
        return DashboardPages.errorPage(HttpStatus.FORBIDDEN, message, model, response);
    }

    /** Any other path under the dashboard: its 404 page rather than the API's JSON error. */
    @RequestMapping(DashboardSecurityConfiguration.HOME + "/**")
    String noSuchPage(Model model, HttpServletResponse response) {
        return DashboardPages.errorPage(HttpStatus.NOT_FOUND, DashboardPages.NO_SUCH_PAGE, model, response);
    }

    @GetMapping(DashboardSecurityConfiguration.HOME)
    String home(@AuthenticationPrincipal Caller caller, Model model) {
        model.addAttribute("scopes", CredentialsController.grantable(caller));
        return "dashboard/home";
    }
}
