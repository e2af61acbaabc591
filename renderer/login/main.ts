import { createApp } from 'vue';
import LoginPage from './LoginPage.vue';
import '../shared/base.css';

createApp(LoginPage).mount('#app');
