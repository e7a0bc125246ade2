# Strict warnings for our own code (STYLE convention 19). Library headers come in as system
# headers, so they do not trip these.
set(GW_WARNINGS
    -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wimplicit-fallthrough -Wswitch)
# Modules that handle money and grams also refuse silent narrowing and sign changes.
set(GW_CONVERSION_WARNINGS -Wconversion -Wsign-conversion)

# Bounds-checked standard containers and aborting assertions in every build we test with.
add_compile_definitions(_GLIBCXX_ASSERTIONS GW_ASSERT_ABORTS)
