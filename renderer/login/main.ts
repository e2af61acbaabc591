import { createApp } from 'vue';
import LoginPage from './LoginPage.vue';
import { readLoginState } from './login-state.js';
import '../shared/base.css';

createApp(LoginPage, { state: readLoginState() }).mount('#app');
