# The asan configuration: AddressSanitizer + UndefinedBehaviorSanitizer. Without
# -fno-sanitize-recover=all UBSan only prints, and a signed overflow in money code would pass.
if(GW_SANITIZE)
    set(GW_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    add_compile_options(${GW_SANITIZER_FLAGS})
    add_link_options(${GW_SANITIZER_FLAGS})
endif()
