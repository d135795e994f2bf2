/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The program's entry point, for a package that runs on glibc before 2.34.
 * The toolchain's own (Scrt1.o of glibc 2.34 and later) calls the
 * __libc_start_main of 2.34 with no init function, leaving the program's
 * constructors to the new C library; an older one runs them only through
 * that argument. This one calls the oldest __libc_start_main (glibc-floor.sh
 * binds it) with skd_floor_init (glibc-floor-init.c), which a new C library
 * calls as it would an old program's. The rest is what every crt1 does:
 * argc, argv and the end of the stack from the kernel's initial stack, the
 * dynamic linker's exit hook from the register it leaves it in.
 */

#if defined(__x86_64__)
	.text
	.globl	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp		/* the outermost frame */
	movq	%rdx, %r9		/* rtld_fini */
	popq	%rsi			/* argc */
	movq	%rsp, %rdx		/* argv */
	andq	$~15, %rsp
	pushq	%rax			/* keeps the stack 16-byte aligned */
	pushq	%rsp			/* stack_end */
	xorl	%r8d, %r8d		/* fini: the dynamic linker runs .fini_array */
	leaq	skd_floor_init(%rip), %rcx
	movq	main@GOTPCREL(%rip), %rdi
	call	*__libc_start_main@GOTPCREL(%rip)
	hlt
	.cfi_endproc
	.size	_start, . - _start

#elif defined(__aarch64__)
	.text
	.globl	_start
	.type	_start, %function
_start:
	.cfi_startproc
	.cfi_undefined x30
	mov	x29, #0			/* the outermost frame */
	mov	x30, #0
	mov	x5, x0			/* rtld_fini */
	ldr	x1, [sp]		/* argc */
	add	x2, sp, #8		/* argv */
	mov	x6, sp			/* stack_end */
	adrp	x0, :got:main
	ldr	x0, [x0, #:got_lo12:main]
	adrp	x3, skd_floor_init
	add	x3, x3, :lo12:skd_floor_init
	mov	x4, #0			/* fini: the dynamic linker runs .fini_array */
	bl	__libc_start_main
	bl	abort
	.cfi_endproc
	.size	_start, . - _start

#else
#error "no entry point for this architecture"
#endif

/* what crt1 defines besides: the stdio ABI mark, and the data start */
	.section .rodata
	.globl	_IO_stdin_used
	.type	_IO_stdin_used, %object
	.size	_IO_stdin_used, 4
	.balign	4
_IO_stdin_used:
	.long	0x20001

	.data
	.globl	__data_start
	.weak	data_start
__data_start:
data_start:
	.long	0

	.section .note.GNU-stack, "", %progbits
