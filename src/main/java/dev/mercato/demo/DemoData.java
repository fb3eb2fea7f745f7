package dev.mercato.demo;

import dev.mercato.products.ProductDraft;
import dev.mercato.products.ProductService;
import dev.mercato.security.Caller;
import dev.mercato.users.User;
import dev.mercato.users.UserDraft;
import dev.mercato.users.UserService;
import java.math.BigDecimal;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** With {@code mercato.demo-data=true}, fills an empty catalog with a small store to explore the API with. */
@Component
@Order(10)
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private static final List<ProductDraft> PRODUCTS = List.of(
            product("Premium Widget", "A high-quality widget for all your needs.", "49.99", 150),
            product("Compact Widget", "The widget you know, in a pocket-sized body.", "29.99", 300),
            product("Industrial Gear Set", "Hardened steel gears for heavy machinery.", "189.00", 40),
            product("Espresso Grinder", "Conical burr grinder with 40 grind settings.", "129.50", 25),
            product("Pour-Over Kettle", "Gooseneck kettle for precise pouring.", "54.00", 60),
            product("Trail Running Shoes", "Lightweight shoes with a grippy sole for rough trails.", "119.95", 80),
            product("Merino Wool Socks", "Soft, breathable socks that keep feet dry.", "18.00", 500),
            product("Noise-Cancelling Headphones", "Over-ear headphones with 30 hours of battery.", "249.00", 35),
            product("USB-C Charger 65W", "Fast charger for laptops and phones.", "39.90", 200),
            product("Desk Lamp", "Dimmable LED lamp with a warm light mode.", "45.00", 0),
            product("Notebook A5", "Dotted pages, lay-flat binding.", "12.50", 1000),
            product("Fountain Pen", "Steel nib fountain pen with a converter.", "65.00", 15));

    private static final List<UserDraft> USERS = List.of(
            user("alice", "alice@example.com", "Alice", "Smith", "+14155550101", User.ACTIVE),
            user("bob", "bob@example.com", "Bob", "Jones", "+14155550102", User.ACTIVE),
            user("carol", "carol@example.com", "Carol", "Nguyen", null, User.ACTIVE),
            user("dave", "dave@example.com", "Dave", "Müller", "+4930555010", User.INACTIVE));

    private final ProductService products;
    private final UserService users;
    private final boolean enabled;

    DemoData(ProductService products, UserService users, DemoProperties properties) {
        this.products = products;
        this.users = users;
        this.enabled = properties.demoData();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled || !products.isEmpty()) {
            return;
        }
        PRODUCTS.forEach(products::create);
        for (UserDraft user : USERS) {
            try {
                users.create(Caller.SYSTEM, user);
            } catch (RuntimeException alreadyThere) {
                log.debug("Demo user {} exists already", user.username());
            }
        }
        log.info("Loaded the demo catalog: {} products, {} users", PRODUCTS.size(), USERS.size());
    }

    private static ProductDraft product(String name, String description, String price, int stock) {
        return new ProductDraft(name, description, new BigDecimal(price), "USD", stock);
    }

    private static UserDraft user(
            String username, String email, String firstName, String lastName, String phone, String status) {
        return new UserDraft(username, email, status, new User.Profile(firstName, lastName, phone));
    }
}
