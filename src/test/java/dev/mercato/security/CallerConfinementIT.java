package dev.mercato.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.orders.NewOrder;
import dev.mercato.orders.Order;
import dev.mercato.orders.OrderService;
import dev.mercato.products.ProductDraft;
import dev.mercato.products.ProductService;
import dev.mercato.shared.Ids;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.PageParams;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.users.User;
import dev.mercato.users.UserDraft;
import dev.mercato.users.UserService;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Services act for an explicit caller. Called from anywhere (a job, a page, another feature) rather than from an
 * API request, a service cannot fall back on an ambient "current request": a caller confined to one user sees only
 * that user's data, and code that passes no caller fails at once instead of reading as an unconfined one.
 */
class CallerConfinementIT extends ApiTestSupport {

    @Autowired
    UserService users;

    @Autowired
    ProductService products;

    @Autowired
    OrderService orders;

    User alice;
    User bob;
    Order alicesOrder;
    Order bobsOrder;

    @BeforeEach
    void eachHasAnOrder() {
        alice = users.create(Caller.SYSTEM, newUser("alice"));
        bob = users.create(Caller.SYSTEM, newUser("bob"));
        String product = products.create(new ProductDraft("Confinement test", "", new BigDecimal("5.00"), "USD", 10))
                .id();
        alicesOrder = orders.place(Caller.SYSTEM, newOrder(alice, product));
        bobsOrder = orders.place(Caller.SYSTEM, newOrder(bob, product));
    }

    @Test
    void aCallerActingForOneUserFindsNothingOfAnother() {
        Caller actingForBob = new Caller("cli_app", bob.id(), "app", EnumSet.allOf(Scope.class), null, true);

        assertThatThrownBy(() -> orders.get(actingForBob, alicesOrder.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.get(actingForBob, alice.id())).isInstanceOf(NotFoundException.class);
        assertThat(orders.list(actingForBob, alice.id(), null, new PageParams(100, 0))
                        .items())
                .isEmpty();
        assertThat(orders.list(actingForBob, null, null, new PageParams(100, 0)).items())
                .extracting(Order::id)
                .containsExactly(bobsOrder.id());
        assertThat(users.list(actingForBob, null, new PageParams(100, 0)).items())
                .extracting(User::id)
                .containsExactly(bob.id());
    }

    @Test
    void theCallerTheOrderBelongsToSeesIt() {
        Caller actingForAlice = new Caller("cli_app", alice.id(), "app", EnumSet.allOf(Scope.class), null, true);

        assertThat(orders.get(actingForAlice, alicesOrder.id()).id()).isEqualTo(alicesOrder.id());
    }

    @Test
    void aCallWithoutACallerFailsInsteadOfActingUnconfined() {
        assertThatThrownBy(() -> orders.get(null, alicesOrder.id())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> users.get(null, alice.id())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> orders.list(null, null, null, new PageParams(100, 0)))
                .isInstanceOf(NullPointerException.class);
    }

    private static NewOrder newOrder(User user, String product) {
        return new NewOrder(
                user.id(),
                List.of(new NewOrder.Item(product, 1)),
                new Order.ShippingAddress("1 Main St", "Anytown", "12345", "USA"));
    }

    private static UserDraft newUser(String name) {
        String username = name + "_" + Ids.generate("t").substring(2, 12).toLowerCase();
        return new UserDraft(username, username + "@example.com", "active", null);
    }
}
